"""What a trained network does and why: evaluation, calibration, verdicts, attribution, robustness, excitation."""
