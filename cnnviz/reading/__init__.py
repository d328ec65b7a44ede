"""Reading what a person gives: any image file or drawing, safely, into the 28 x 28 input, each step kept."""
