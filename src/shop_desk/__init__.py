"""shop-desk: the after-sales service centre of a car dealership, on one desktop."""

__version__ = "0.1.0"
