"""Validation: structure (``schema``), then meaning (``sections``, put together by ``passes``)."""
