"""Demo content for `manage.py load_demo`: pictures drawn in code (images.py) and the words
and page bodies of the demo site (content.py)."""
