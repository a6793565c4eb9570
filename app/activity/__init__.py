"""The activity feed: records written by every area, read on community homes and the personal dashboard."""
