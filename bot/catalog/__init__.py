"""The procedure catalog: model, importers, repository and search."""
