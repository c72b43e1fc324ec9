"""The seed's records as typed models (``records``) and their enumerations (``enums``)."""
