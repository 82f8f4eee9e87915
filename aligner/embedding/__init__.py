"""Sentence vectors: the encoder and its runtimes (torch, ONNX, OpenVINO), the model
fetched from pinned wheels, the SQLite cache and the run's vector store.
"""
