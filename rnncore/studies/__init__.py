"""What the course's models learn: the training grid, the long-lag task and the vanishing-gradient study."""
