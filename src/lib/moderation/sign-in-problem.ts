import { defaultSignInLimits } from './auth.ts';

/** Why the sign-in form is shown again, from the `?error=` (and `?wait=` seconds) the sign-in answered with. */
export type SignInProblem = { code: 'throttled'; waitMinutes: number } | { code: 'invalidCredentials' };

export function readSignInProblem(params: URLSearchParams): SignInProblem | undefined {
  const error = params.get('error');
  if (error === 'invalidCredentials') return { code: 'invalidCredentials' };
  if (error !== 'throttled') return undefined;
  // In whole minutes: at least one, at most the window (also when the link lost the wait).
  const windowMinutes = Math.ceil(defaultSignInLimits.windowMs / 60_000);
  const waitSeconds = Number(params.get('wait'));
  const waitMinutes =
    Number.isFinite(waitSeconds) && waitSeconds > 0 ? Math.min(Math.ceil(waitSeconds / 60), windowMinutes) : windowMinutes;
  return { code: 'throttled', waitMinutes };
}
