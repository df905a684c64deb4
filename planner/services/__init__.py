"""Use cases: what people do, each in one place with all its side effects.

Publishing always queues the notices; a cancellation always publishes the
change, adds the time off and queues the notices; an import takes every row
or none. Pages and command-line verbs call these; each opens its own unit of
work unless it says otherwise.
"""
