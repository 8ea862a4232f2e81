// Worker module of the cli-math bench: math's verifier one pair per task, and a batch per task.
import { eachOf } from '@mixreward/core';
import { verifyAnswer } from '@mixreward/math';

export { verifyAnswer };
export const verifyAnswers = eachOf(verifyAnswer);
