"""What a person reads: the terminal report, the self-contained HTML page, and the
progress bars of the stages.
"""
