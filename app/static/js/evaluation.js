// Evaluation area (issue 13): behaviour added to server-rendered pages; every page works without it.
"use strict";
