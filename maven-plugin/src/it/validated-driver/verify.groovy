// validate on: the seeded defect is run in the simulated kernel (a child JVM), confirmed at its
// line with a trace that replays it; failOnConfirmed counts only what the kernel showed
def log = new File(basedir, 'build.log').text
assert log.contains('[StartNextPacketTooEarly]')
assert log =~ /\[StartNextPacketTooEarly\].*\(confirmed after \d+ schedules? \(seed \d+\)\)/
assert log.contains('dpccheck: validated in the simulated kernel:')
assert log =~ /dpccheck found \d+ violations? at or above 'warning', more than the 0 allowed\./
def sarif = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/dpccheck.sarif'))
def results = sarif.runs[0].results
def confirmed = results.find { it.ruleId == 'StartNextPacketTooEarly' }
assert confirmed.properties.validation.status == 'confirmed'
def trace = new File(confirmed.properties.validation.trace)
assert trace.isFile()
assert trace.path.contains('dpccheck-traces')
assert trace.text.contains('StartNextPacketTooEarly')
// htmlOutput on: the page shows the finding confirmed, with the schedule that showed it, and loads nothing
def html = new File(basedir, 'target/dpccheck.html').text
assert html.contains('data-rule="StartNextPacketTooEarly" data-status="confirmed"')
assert html.contains('<div class="trace-view"')
assert html.contains('<svg class="timeline"')
assert !html.replace('xmlns="http://www.w3.org/2000/svg"', '').contains('http://')
assert log.contains('HTML: ')
