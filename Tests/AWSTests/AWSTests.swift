// Tests of the AWS target.
