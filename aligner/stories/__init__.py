"""Which documents tell the same story: ``cluster`` groups documents by their vectors,
``first_look`` encodes only the leads first and the rest where a partner is possible.
"""
