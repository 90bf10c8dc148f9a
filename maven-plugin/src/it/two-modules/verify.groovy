// both modules analyzed in a parallel build, each with its own SARIF log
def log = new File(basedir, 'build.log').text
assert !log.contains('not marked as @threadSafe')
assert new File(basedir, 'a/target/dpccheck.sarif').isFile()
assert new File(basedir, 'b/target/dpccheck.sarif').isFile()
assert log.count('dpccheck: 0 findings, 0 violations') == 2
