"""Reading the input into documents: files and JSONL read, languages detected,
sentences split; ``prepare`` runs the three in order.
"""
