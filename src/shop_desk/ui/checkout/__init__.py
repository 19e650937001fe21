"""Checkout (交车/结账): delivery check, notice, delivery, settlement slip, payment, gate pass, and the gate window."""
