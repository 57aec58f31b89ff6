"""ordbruk.overview."""
