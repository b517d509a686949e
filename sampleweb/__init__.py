"""The sample county web: fictional county disclosure sites built like real CMS families, served on loopback.

Every deliberate defect is listed in the ground truth (`ground_truth()`), which the tests compare the audit with.
"""
