"""Appointments (预约): the day and week of bookings, arrivals and the preparation list."""
