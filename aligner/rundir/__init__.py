"""The output folder: written beside --out and swapped into place only when complete,
the work folder that lets an interrupted run resume, and a run replayed from its manifest.json.
"""
