"""cnnviz: open up a convolutional neural network and watch it read a digit.

The package is plain Python (no Streamlit): the pages, the CLI and the tests all call into it.
"""
