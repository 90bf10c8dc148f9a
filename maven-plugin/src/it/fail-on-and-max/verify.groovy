def log = new File(basedir, 'build.log').text
// the last run failed on the error-level finding
assert log.contains('dpccheck found 1 violation at or above \'error\'')
