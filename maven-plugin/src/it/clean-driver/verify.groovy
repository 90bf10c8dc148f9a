// a correct driver: the build passes, the SARIF log is written and has no results
def log = new File(basedir, 'build.log').text
assert log.contains('dpccheck: 0 findings, 0 violations')
def sarif = new File(basedir, 'target/dpccheck.sarif')
assert sarif.isFile()
assert !sarif.text.contains('"ruleId"')
