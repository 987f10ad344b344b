"""One module per generated Terraform file, each building its blocks from ``module.Facts``."""
