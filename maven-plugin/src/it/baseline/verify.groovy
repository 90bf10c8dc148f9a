def log = new File(basedir, 'build.log').text
assert log.contains('the baseline hid 1')
assert !new File(basedir, 'target/after.sarif').text.contains('"ruleId"')
