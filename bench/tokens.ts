// Access-token verification runs on every protected call and every socket hello. This measures
// KeyRing.verify (kid lookup, claim checks, typed errors) next to bare jose.jwtVerify with the
// same key and options, in the same run; and signing next to bare SignJWT.
import { jwtVerify, SignJWT } from 'jose';
import { KeyRing } from '../server/accounts/tokens.ts';
import { measureSequential, row } from './stats.ts';

const COUNT = Number(process.env.BENCH_TOKENS ?? 50_000);
const secret = new TextEncoder().encode('bench-secret-that-is-long-enough-0123456789');
const ring = new KeyRing([{ kid: 'bench', secret }]);
const claims = { userId: '0191d9a0-0000-7000-8000-000000000001', sessionId: '0191d9a0-0000-7000-8000-000000000002', role: 'user' as const };
const token = await ring.sign(claims);
const options = { issuer: 'petamigos', audience: 'petamigos', algorithms: ['HS256'] };

for (let i = 0; i < 2000; i++) {
  await ring.verify(token);
  await jwtVerify(token, secret, options);
}
console.log(`tokens: ${COUNT} sequential verifications and signatures (HS256)`);
const bareVerify = await measureSequential(COUNT, () => jwtVerify(token, secret, options));
const oursVerify = await measureSequential(COUNT, () => ring.verify(token));
const bareSign = await measureSequential(COUNT / 5, () =>
  new SignJWT({ sid: claims.sessionId, role: 'user' })
    .setProtectedHeader({ alg: 'HS256', kid: 'bench' })
    .setSubject(claims.userId)
    .setIssuer('petamigos')
    .setAudience('petamigos')
    .setIssuedAt()
    .setExpirationTime('900s')
    .sign(secret),
);
const oursSign = await measureSequential(COUNT / 5, () => ring.sign(claims));
console.log(row('verify: bare jose (baseline)', { 'per s': bareVerify.perSecond, 'p50 µs': bareVerify.p50us, 'p99 µs': bareVerify.p99us }));
console.log(row('verify: KeyRing', { 'per s': oursVerify.perSecond, 'p50 µs': oursVerify.p50us, 'p99 µs': oursVerify.p99us }));
console.log(row('sign: bare jose (baseline)', { 'per s': bareSign.perSecond, 'p50 µs': bareSign.p50us }));
console.log(row('sign: KeyRing', { 'per s': oursSign.perSecond, 'p50 µs': oursSign.p50us }));
console.log(
  row('KeyRing / bare', {
    'verify/s ratio': oursVerify.perSecond / bareVerify.perSecond,
    'sign/s ratio': oursSign.perSecond / bareSign.perSecond,
  }),
);
