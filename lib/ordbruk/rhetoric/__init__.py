"""ordbruk.rhetoric."""
