"""The data editors and the panels around them: the Input panel (pixel grid, points canvas, output chart), the Dataset panel and the Inspector."""
