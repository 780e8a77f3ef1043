// Tests of the Engine target.
