"""jobcheck: the linter and validator for Kubernetes Job and CronJob manifests."""

__version__ = "0.1.0"
