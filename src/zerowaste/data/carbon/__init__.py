"""Carbon accounting data: the waste material table and its sources."""
