"""`python -m gongkai_cli`."""
from gongkai_cli import main

main()
