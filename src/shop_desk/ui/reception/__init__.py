"""Reception (接车): the car, the walk-around inspection, complaint and warranty, estimate, task order and signature."""
