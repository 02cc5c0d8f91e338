"""Import service: activity files (FIT, GPX, TCX, Strava exports) become Django activities with samples."""
