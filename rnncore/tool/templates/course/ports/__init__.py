"""Python ports of the MATLAB scripts in matlab_ref/, one module per parity case."""
