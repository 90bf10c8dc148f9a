// a seeded defect: the build fails, names the finding, and the SARIF log holds it
def log = new File(basedir, 'build.log').text
assert log.contains('[StartNextPacketTooEarly]')
assert log.contains('dpccheck found 1 violation at or above \'warning\', more than the 0 allowed.')
def sarif = new File(basedir, 'target/dpccheck.sarif').text
assert sarif.contains('"ruleId" : "StartNextPacketTooEarly"')
