// Tests of the HTTP target.
