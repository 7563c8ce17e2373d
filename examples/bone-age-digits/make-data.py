"""Writes the data of the bone-age example (bone-age-digits.yaml) from scikit-learn's handwritten
digits (Debian's python3-sklearn bundles them): the slides' case study in small. Each 8x8 digit is an
"X-ray"; the value to regress is the digit (as a bone age in years would be); the second input is a
real attribute of each sample known beside the image, whether the digit is 5 or more, as the
patient's sex is known beside the X-ray. A copy of that attribute shuffled across samples carries
no information, to measure what the second input brings.

    /usr/bin/python3 examples/bone-age-digits/make-data.py [DIRECTORY]   (default: beside this script)
"""
import os
import sys

import numpy as np
from sklearn.datasets import load_digits

directory = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
digits = load_digits()
order = np.random.default_rng(0).permutation(len(digits.target))
images = digits.images[order].astype(np.float32).reshape(-1, 1, 8, 8)
values = digits.target[order].astype(np.float32).reshape(-1, 1)
group = (values >= 5).astype(np.float32)
shuffled = group[np.random.default_rng(1).permutation(len(group))]
test = 360  # 20% held out, as the slides' train/test split
for split, part in (("train", slice(test, None)), ("test", slice(0, test))):
    np.save(os.path.join(directory, f"image-{split}.npy"), images[part])
    np.save(os.path.join(directory, f"group-{split}.npy"), group[part])
    np.save(os.path.join(directory, f"group-shuffled-{split}.npy"), shuffled[part])
    np.save(os.path.join(directory, f"value-{split}.npy"), values[part])
