"""VETgraph: a knowledge graph of Chinese vocational education and training."""
