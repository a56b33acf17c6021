"""Tests for the demo content generator."""
