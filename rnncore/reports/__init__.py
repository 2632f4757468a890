"""What people read and CI consumes: the HTML report, its figures, the Markdown summary and JUnit XML."""
