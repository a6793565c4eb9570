"""The words of the platform that a newcomer may not know, with the anchor each page links to."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

# anchor -> (term, explanation), in alphabetical order of the Italian term.
GLOSSARY = {
    "animatore": (_l("Animatore o animatrice"), _l(
        "Chi cura una comunità di pratica: accoglie le richieste di iscrizione, invita le persone, modera le "
        "pratiche pubblicate e tiene viva la discussione.")),
    "codice-ipa": (_l("Codice IPA"), _l(
        "Il codice che identifica un ente nell'Indice dei domicili digitali della pubblica amministrazione "
        "(indicepa.gov.it). Serve a riconoscere l'ente senza ambiguità: lo trovi nella scheda dell'ente su "
        "indicepa.gov.it.")),
    "co-cedente": (_l("Co-cedente"), _l(
        "Un ente che mette a disposizione una pratica accanto all'ente cedente, perché l'ha realizzata insieme a "
        "quell'ente o ne cura una parte. Un ente diventa co-cedente solo se il suo referente accetta.")),
    "cedente": (_l("Ente cedente"), _l(
        "L'amministrazione che ha realizzato una buona pratica e la mette a disposizione di altri enti, con la "
        "documentazione necessaria per riusarla.")),
    "comunita-di-pratica": (_l("Comunità di pratica"), _l(
        "Un gruppo di persone di enti diversi che lavorano sugli stessi temi e si scambiano esperienze, documenti "
        "e soluzioni. Una comunità può essere aperta, moderata (l'iscrizione va approvata) o riservata (su invito).")),
    "dispiegamento": (_l("Dispiegamento"), _l(
        "La messa in opera di una pratica in un ente che la riusa: l'avvio del servizio, l'installazione del "
        "software, la formazione del personale. Il piano di dispiegamento dice come farlo e in quali tempi.")),
    "kit-di-riuso": (_l("KIT di riuso"), _l(
        "L'insieme dei documenti che permette a un altro ente di riusare una pratica: contesto e obiettivi, modello "
        "organizzativo, atti amministrativi, documentazione tecnica, formazione, piano di dispiegamento, costi, "
        "licenza e manutenzione. Ogni versione pubblicata resta consultabile.")),
    "licenza": (_l("Licenza"), _l(
        "Le condizioni alle quali una pratica o un software possono essere riusati. Si indica con la sigla "
        "internazionale standard (elenco SPDX), per esempio EUPL-1.2 per la Licenza pubblica dell'Unione europea o "
        "CC-BY-4.0 per i documenti.")),
    "publiccode": (_l("publiccode.yml"), _l(
        "Il file che descrive un software della pubblica amministrazione nel catalogo di Developers Italia; la "
        "piattaforma lo legge per importare una pratica e lo produce per le pratiche di tipo software.")),
    "referente": (_l("Referente dell'ente"), _l(
        "La persona che rappresenta il proprio ente sulla piattaforma: approva chi si registra per l'ente, ne "
        "cura il profilo e accetta gli inviti a diventare co-cedente.")),
    "riusatore": (_l("Ente riusatore"), _l(
        "L'amministrazione che adotta una pratica realizzata da un altro ente, adattandola alla propria realtà; "
        "può chiedere supporto agli enti cedenti.")),
}
