/** `--lock-timeout` values: a number and a unit; anything else is named, with what was probably meant. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { durationProblem, formatDuration, parseDuration } from '../compiler/shared/index.ts';

test('a number and a unit: ms, s, min, h', () => {
  const valid: Array<[string, number]> = [
    ['500ms', 500], ['3s', 3000], ['1.5s', 1500], ['2min', 120_000], ['1h', 3_600_000], ['0s', 0], [' 3s ', 3000], ['10 s', 10_000],
  ];
  for (const [text, ms] of valid) assert.is(parseDuration(text), ms, text);
  for (const text of ['abc', '', '3', '5m', '3sec', '-1s', '1e3s', 's', '3S', '2 minutes', '1.s']) assert.is(parseDuration(text), undefined, text);
});

test('a value that is not a duration says why, and what was probably meant', () => {
  const cases: Array<[string, string]> = [
    ['abc', "'abc' is not a duration; give a number and a unit: ms, s, min or h (500ms, 3s, 2min)"],
    ['30', "'30' has no unit (did you mean '30s'?); give a number and a unit: ms, s, min or h (500ms, 3s, 2min)"],
    ['5m', "'5m' is ambiguous (did you mean '5min' or '5ms'?); give a number and a unit: ms, s, min or h (500ms, 3s, 2min)"],
    ['3sec', "'3sec' is not a duration (did you mean '3s'?); give a number and a unit: ms, s, min or h (500ms, 3s, 2min)"],
    ['2minutes', "'2minutes' is not a duration (did you mean '2min'?); give a number and a unit: ms, s, min or h (500ms, 3s, 2min)"],
    ['3S', "'3S' is not a duration (did you mean '3s'?); give a number and a unit: ms, s, min or h (500ms, 3s, 2min)"],
    ['4parsecs', "'4parsecs' is not a duration; give a number and a unit: ms, s, min or h (500ms, 3s, 2min)"],
  ];
  for (const [text, message] of cases) assert.is(durationProblem(text), message, text);
});

test('durations for people', () => {
  assert.equal([613, 1000, 1540, 60_000, 150_000].map(formatDuration), ['613 ms', '1 s', '1.5 s', '1 min', '2 min 30 s']);
});

test.run();
