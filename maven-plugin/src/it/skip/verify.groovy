def log = new File(basedir, 'build.log').text
assert log.contains('dpccheck: skipped (dpccheck.skip)')
assert !new File(basedir, 'target/dpccheck.sarif').exists()
