"""Waste catalogs as package data: hazardous waste list editions, exemptions, classes, crosswalk."""
