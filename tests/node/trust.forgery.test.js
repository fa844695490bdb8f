// The trust rule (docs/trust.md) end to end: genuine and forged entities written through the real
// @arkiv-network/sdk 0.6.8 clients to the local Arkiv node (tools/arkiv-node), read back with the SDK
// and handed straight to @convene/core's readers.
//
// For every row of "Who must sign" the genuine entities are written first and the genuine result is
// recorded; then forgeries are written — mallory signing in alice's or bob's name, a genuine writer
// transferring ownership to mallory, entities read without signer metadata (or with creator/owner
// stripped), attribute/payload conflicts, skewed `createdAt`, hostile payloads — and every reader must
// return EXACTLY the genuine result while `ignored` counts what it dropped. Finally a genuine entity
// is written and must still act. Versions are ordered by chain position: a later write with an earlier
// createdAt wins, and of two creates in one mutateEntities the later operation wins.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createPublicClient, createWalletClient, http, nonceManager } from '@arkiv-network/sdk';
import { privateKeyToAccount } from '@arkiv-network/sdk/accounts';
import { localhost } from '@arkiv-network/sdk/chains';
import { eq } from '@arkiv-network/sdk/query';
import { arkivSink, ConveneError, loadCore } from '../../npm/index.js';
import { startArkivNode } from '../../tools/arkiv-node/src/index.js';

// Well-known development keys (anvil/hardhat accounts 1-5); the node holds no keys.
const KEYS = {
  alice: '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  bob: '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  carol: '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
  mallory: '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
  dave: '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba',
};
const accounts = Object.fromEntries(Object.entries(KEYS).map(([n, k]) => [n, privateKeyToAccount(k, { nonceManager })]));
/** Lowercase addresses, as the node returns and the core writes them. */
const A = accounts.alice.address.toLowerCase();
const B = accounts.bob.address.toLowerCase();
const C = accounts.carol.address.toLowerCase();
const M = accounts.mallory.address.toLowerCase();
const D = accounts.dave.address.toLowerCase();

// Every entity lies in 2027; `now` is passed explicitly everywhere.
const NOW = '2027-01-01T00:00:00.000Z';
const LATER = '2027-01-03T00:00:00.000Z'; // a skewed clock: createdAt ahead of the real write order
const EVIL = 'https://evil.example/phish';

const enc = new TextEncoder();
const dec = new TextDecoder();
const attr = (e, k) => e.attributes.find((a) => a.key === k)?.value;
const noIgnored = { unverified: 0, conflicting: 0, malformed: 0, total: 0 };
const ign = (unverified = 0, conflicting = 0, malformed = 0) => ({ unverified, conflicting, malformed, total: unverified + conflicting + malformed });
/** A result without its `ignored` (what must stay exactly the same). */
const kept = ({ ignored, ...rest }) => rest;

/** A draft whose payload JSON is edited by `fn` (an attribute/payload conflict), or replaced by raw text. */
const editPayload = (draft, fn) => ({ ...draft, payload: enc.encode(JSON.stringify(fn(JSON.parse(dec.decode(draft.payload))))) });
const rawPayload = (draft, text) => ({ ...draft, payload: enc.encode(text) });
/** A draft with attribute `key` set to `value` in both attributes and payload (a consistent, crafted claim). */
const setClaim = (draft, key, value) => editPayload(
  { ...draft, attributes: draft.attributes.map((a) => (a.key === key ? { key, value } : a)) },
  (p) => ({ ...p, ...(key in p ? { [key]: value } : {}) }),
);
/** An entity as read, without signer metadata. */
const stripSigner = ({ creator, owner, ...rest }) => rest;

let core;
/** Every error a core call threw, to check each was a ConveneError with a code. */
const thrown = [];

/** The core with every function wrapped: any throw must be a ConveneError with a stable code. */
function guarded(c) {
  const wrap = (ns, nsName) => Object.fromEntries(Object.entries(ns).map(([k, v]) => [k, typeof v !== 'function' ? v : (...args) => {
    try {
      return v.apply(ns, args);
    } catch (err) {
      thrown.push({ call: `${nsName}.${k}`, err });
      assert.ok(err instanceof ConveneError, `${nsName}.${k} threw a ${err?.name}: ${err?.message}`);
      assert.match(err.code, /^[A-Z][A-Z_]+$/, `${nsName}.${k}: code ${err.code}`);
      throw err;
    }
  }]));
  return Object.fromEntries(['entities', 'sessions', 'gatherings', 'series', 'events', 'jitsi'].map((n) => [n, wrap(c[n], n)]));
}
const unverified = (field) => (err) => err instanceof ConveneError && err.code === 'UNVERIFIED_ENTITY' && err.field === field;

describe('trust: forged entities through the real SDK change nothing a reader returns', () => {
  let dir;
  let node;
  let pub;
  const w = {};

  before(async () => {
    core = guarded(await loadCore());
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-forgery-'));
    node = await startArkivNode({ port: 0, statePath: path.join(dir, 'state.json'), blockTimeMs: 50, log: () => {} });
    const chain = { ...localhost, rpcUrls: { default: { http: [node.url] } } };
    pub = createPublicClient({ chain, transport: http(node.url) });
    for (const [name, account] of Object.entries(accounts)) w[name] = createWalletClient({ chain, transport: http(node.url), account });
  });

  after(async () => {
    await node?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const build = (type, input, now = NOW) => core.entities.build(type, input, { now });
  const write = async (who, draft) => (await w[who].createEntity(draft)).entityKey;
  /** Several creates in ONE transaction (so one block): operation indexes 0, 1, ... */
  const writeMany = async (who, drafts) => (await w[who].mutateEntities({ creates: drafts })).createdEntities;
  const transfer = (who, entityKey, to) => w[who].changeOwnership({ entityKey, newOwner: accounts[to].address });
  const get = (key) => pub.getEntity(key);
  /** Entities of `type` matching `where`, with attributes, payload and (unless told otherwise) metadata. */
  const read = async (type, where = [], { metadata = true } = {}) => (await pub.buildQuery()
    .where([eq('type', type), ...where]).withAttributes(true).withPayload(true).withMetadata(metadata).fetch()).entities;

  const newSession = async (writer, input) => get(await write(writer, build('session', {
    mentorWallet: A, learnerWallet: B, skill: 'Rust', duration: 60, ...input,
  })));

  test('session: only its mentor or learner make it evidence (status throws, statuses leaves it out)', async () => {
    const genuine = await newSession('bob', { sessionDate: '2027-01-10T18:00:00Z' });
    const byMentor = await newSession('alice', { sessionDate: '2027-01-11T18:00:00Z' });
    const st = core.sessions.status({ session: genuine, confirmations: [], rejections: [], now: NOW });
    assert.equal(st.status, 'pending');
    assert.deepEqual(st.ignored, noIgnored);
    assert.equal(core.sessions.status({ session: byMentor, now: NOW }).status, 'pending');

    // Mallory writes a session in alice's and bob's names.
    const forged = await newSession('mallory', { sessionDate: '2027-01-10T18:00:00Z' });
    assert.equal(forged.creator, M);
    assert.throws(() => core.sessions.status({ session: forged, now: NOW }), unverified('session'));
    // Bob writes one and hands it to mallory: no longer evidence.
    const handed = await newSession('bob', { sessionDate: '2027-01-12T18:00:00Z' });
    await transfer('bob', handed.key, 'mallory');
    const transferred = await get(handed.key);
    assert.deepEqual([transferred.creator, transferred.owner], [B, M]);
    assert.throws(() => core.sessions.status({ session: transferred, now: NOW }), unverified('session'));
    // Read without metadata, or with creator/owner stripped.
    const [bare] = await read('session', [eq('sessionDate', '2027-01-11T18:00:00.000Z')], { metadata: false });
    assert.equal(bare.key, byMentor.key);
    assert.equal(bare.creator, undefined);
    assert.throws(() => core.sessions.status({ session: bare, now: NOW }), unverified('session'));
    assert.throws(() => core.sessions.status({ session: stripSigner(genuine), now: NOW }), unverified('session'));
    // Attributes and payload disagree on the date (the attribute a query matched is not what would be shown).
    const conflicting = await get(await write('bob', editPayload(build('session', {
      mentorWallet: A, learnerWallet: B, skill: 'Rust', sessionDate: '2027-01-13T18:00:00Z',
    }), (p) => ({ ...p, sessionDate: '2027-01-14T18:00:00.000Z' }))));
    assert.throws(() => core.sessions.status({ session: conflicting, now: NOW }), (err) => err instanceof ConveneError
      && err.code === 'CONFLICTING_FIELDS' && err.field.startsWith('session'));
    // A session payload that is not a JSON object: a typed error naming the session.
    const malformed = await get(await write('bob', rawPayload(build('session', {
      mentorWallet: A, learnerWallet: B, skill: 'Rust', sessionDate: '2027-01-13T18:00:00Z',
    }), '[1,2]')));
    assert.throws(() => core.sessions.status({ session: malformed, now: NOW }), (err) => err instanceof ConveneError
      && err.code === 'MALFORMED_ENTITY' && err.field.startsWith('session'));

    // statuses(): the page keeps exactly the genuine sessions and counts the rest.
    const page = core.sessions.statuses({ sessions: [genuine, forged, transferred, byMentor, conflicting, malformed, bare], now: NOW });
    assert.deepEqual(page.sessions.map((s) => s.session.key), [genuine.key, byMentor.key]);
    assert.deepEqual(page.sessions.map((s) => s.status.status), ['pending', 'pending']);
    assert.deepEqual(page.ignored, ign(3, 1, 1));
    // The genuine page alone gives the same rows.
    const alone = core.sessions.statuses({ sessions: [genuine, byMentor], now: NOW });
    assert.deepEqual(alone.sessions, page.sessions);
    assert.deepEqual(alone.ignored, noIgnored);
  });

  test('session_confirmation: only confirmedBy, a participant, signed; hostile payloads never throw', async () => {
    const session = await newSession('bob', { sessionDate: '2027-01-10T18:00:00Z' });
    const conf = (by, now) => build('session_confirmation', { session, confirmedBy: by }, now);
    await write('bob', conf(B));
    const confirmations = () => read('session_confirmation', [eq('sessionKey', session.key)]);
    const status = async (list) => core.sessions.status({ session, confirmations: list ?? await confirmations(), rejections: [], now: NOW });
    const genuine = await status();
    assert.equal(genuine.status, 'pending');
    assert.deepEqual([genuine.mentorConfirmed, genuine.learnerConfirmed], [false, true]);
    assert.deepEqual(genuine.ignored, noIgnored);

    // Mallory confirms in the mentor's name (with a createdAt ahead of everything).
    await write('mallory', conf(A, LATER));
    // Mallory confirms as herself: she signed it, but she is no participant (crafted past the builder).
    await write('mallory', setClaim(conf(A), 'confirmedBy', M));
    // Alice's genuine confirmation, handed to mallory.
    const handed = await write('alice', conf(A));
    await transfer('alice', handed, 'mallory');
    // Signed by alice, but the payload's confirmedBy contradicts the attribute the query matched.
    await write('alice', editPayload(conf(A), (p) => ({ ...p, confirmedBy: B })));
    // Signed by alice, payload not JSON / a JSON array / nested 20,000 deep.
    await write('alice', rawPayload(conf(A), '{"confirmedAt": not json'));
    await write('alice', rawPayload(conf(A), '[1,2]'));
    await write('alice', rawPayload(conf(A), `{"x":${'['.repeat(20000)}${']'.repeat(20000)}}`));

    const all = await confirmations();
    assert.equal(all.length, 8);
    const forged = await status(all);
    assert.deepEqual(kept(forged), kept(genuine));
    assert.equal(forged.status, 'pending');
    assert.equal(forged.mentorConfirmed, false);
    assert.deepEqual(forged.ignored, ign(3, 1, 3));
    // Order of the list does not matter.
    assert.deepEqual(await status([...all].reverse()), forged);

    // planConfirmation follows the same rule: the forged mentor confirmation does not make alice "already confirmed".
    const plan = core.sessions.planConfirmation({ session, by: A, confirmations: all, jitsi: [] }, { now: NOW });
    assert.equal(plan.alreadyConfirmed, false);
    assert.ok(plan.confirmation);
    assert.ok(plan.jitsi, 'alice completes the pair: the room is written with her confirmation');
    assert.equal(attr(plan.confirmation, 'confirmedBy'), A);

    // Without signer metadata nothing counts, not even bob's own confirmation.
    const bare = await read('session_confirmation', [eq('sessionKey', session.key)], { metadata: false });
    const blind = await status(bare);
    assert.deepEqual([blind.status, blind.mentorConfirmed, blind.learnerConfirmed], ['pending', false, false]);
    assert.deepEqual(blind.ignored, ign(4, 1, 3));
    const stripped = await status(all.map(stripSigner));
    assert.deepEqual([stripped.mentorConfirmed, stripped.learnerConfirmed], [false, false]);
    assert.deepEqual(stripped.ignored, ign(4, 1, 3));

    // Alice's genuine confirmation still acts.
    await write('alice', plan.confirmation);
    const done = await status();
    assert.equal(done.status, 'scheduled');
    assert.deepEqual([done.mentorConfirmed, done.learnerConfirmed], [true, true]);
    assert.deepEqual(done.ignored, ign(3, 1, 3));
    const again = core.sessions.planConfirmation({ session, by: A, confirmations: await confirmations() }, { now: NOW });
    assert.deepEqual([again.alreadyConfirmed, again.confirmation], [true, null]);
  });

  test('session_rejection: only rejectedBy, a participant, signed; the first on the chain is reported', async () => {
    const session = await newSession('alice', { sessionDate: '2027-01-15T18:00:00Z' });
    await write('alice', build('session_confirmation', { session, confirmedBy: A }));
    await write('bob', build('session_confirmation', { session, confirmedBy: B }));
    const confirmations = await read('session_confirmation', [eq('sessionKey', session.key)]);
    const rejections = () => read('session_rejection', [eq('sessionKey', session.key)]);
    const status = (list) => core.sessions.status({ session, confirmations, rejections: list, now: NOW });
    const rej = (by, now, reason) => build('session_rejection', { session, rejectedBy: by, reason }, now);
    const genuine = status(await rejections());
    assert.equal(genuine.status, 'scheduled');
    assert.deepEqual(genuine.ignored, noIgnored);

    // A rejection in the learner's name, signed by mallory, cancels nothing.
    await write('mallory', rej(B, NOW, 'forged'));
    // Mallory's own rejection: signed by the wallet it names, but she is no participant.
    await write('mallory', setClaim(rej(B), 'rejectedBy', M));
    // Bob's genuine rejection, handed to mallory.
    const handed = await write('bob', rej(B));
    await transfer('bob', handed, 'mallory');
    // Signed by bob, payload says alice rejected.
    await write('bob', editPayload(rej(B), (p) => ({ ...p, rejectedBy: A })));
    await write('bob', rawPayload(rej(B), 'null'));
    const all = await rejections();
    const forged = status(all);
    assert.deepEqual(kept(forged), kept(genuine));
    assert.equal(forged.status, 'scheduled');
    assert.deepEqual(forged.ignored, ign(3, 1, 1));
    // Without metadata: nothing is evidence.
    const bare = status(await read('session_rejection', [eq('sessionKey', session.key)], { metadata: false }));
    assert.deepEqual(kept(bare), kept(genuine));
    assert.deepEqual(bare.ignored, ign(3, 1, 1));

    // Genuine rejections act. Alice writes first with a createdAt two days ahead; bob writes after her
    // with an earlier createdAt: the earliest on the chain (alice) is reported, not the earliest createdAt.
    await write('alice', rej(A, LATER, 'first on chain'));
    await write('bob', rej(B, NOW, 'second on chain'));
    const list = await rejections();
    const cancelled = status(list);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.reason, 'declined');
    assert.equal(cancelled.by, A);
    assert.deepEqual(cancelled.ignored, ign(3, 1, 1));
    assert.equal(status([...list].reverse()).by, A);
  });

  test('session_jitsi: a participant only; newest by chain position (operation index within one block)', async () => {
    const session = await newSession('bob', { sessionDate: '2027-01-16T18:00:00Z' });
    await write('bob', build('session_confirmation', { session, confirmedBy: B }));
    const confirmations = () => read('session_confirmation', [eq('sessionKey', session.key)]);
    const jitsi = () => read('session_jitsi', [eq('sessionKey', session.key)]);
    const status = async (list) => core.sessions.status({ session, confirmations: await confirmations(), rejections: [], jitsi: list ?? await jitsi(), now: NOW });

    // Mallory writes a room for the session first: planConfirmation still writes the real one.
    await write('mallory', build('session_jitsi', { session, baseUrl: 'https://evil.example' }));
    const plan = core.sessions.planConfirmation({ session, by: A, confirmations: await confirmations(), jitsi: await jitsi() }, { now: NOW });
    assert.ok(plan.confirmation);
    assert.ok(plan.jitsi, 'a forged session_jitsi does not stop the real room from being written');
    await writeMany('alice', [plan.confirmation, plan.jitsi]);
    const realUrl = core.jitsi.joinUrl(core.jitsi.roomName(session.key));
    const genuine = await status();
    assert.equal(genuine.status, 'scheduled');
    assert.equal(genuine.videoJoinUrl, realUrl);
    assert.deepEqual(genuine.ignored, ign(1));

    // Later on the chain, with later createdAt: mallory's room, bob's room handed to mallory, alice's room
    // with a conflicting payload, and a room whose payload is not an object.
    await write('mallory', build('session_jitsi', { session, baseUrl: 'https://evil.example' }, LATER));
    const handed = await write('bob', build('session_jitsi', { session, baseUrl: 'https://bob.example' }, LATER));
    await transfer('bob', handed, 'mallory');
    await write('alice', editPayload(build('session_jitsi', { session, baseUrl: 'https://evil.example' }, LATER),
      (p) => ({ ...p, mentorWallet: M })));
    await write('alice', rawPayload(build('session_jitsi', { session }, LATER), '"https://evil.example/x"'));
    const all = await jitsi();
    const forged = await status(all);
    assert.deepEqual(kept(forged), kept(genuine));
    assert.equal(forged.videoJoinUrl, realUrl);
    assert.deepEqual(forged.ignored, ign(3, 1, 1));
    const bare = await status(await read('session_jitsi', [eq('sessionKey', session.key)], { metadata: false }));
    assert.equal(bare.videoJoinUrl, undefined);
    assert.deepEqual(bare.ignored, ign(4, 1, 1));

    // Two genuine versions in ONE transaction: the later operation wins, whatever createdAt says and
    // whatever order the list has.
    const [k0, k1] = await writeMany('bob', [
      build('session_jitsi', { session, baseUrl: 'https://first.example' }, LATER),
      build('session_jitsi', { session, baseUrl: 'https://second.example' }, NOW),
    ]);
    const [e0, e1] = [await get(k0), await get(k1)];
    assert.equal(e0.lastModifiedAtBlock, e1.lastModifiedAtBlock);
    assert.equal(e0.transactionIndexInBlock, e1.transactionIndexInBlock);
    assert.deepEqual([e0.operationIndexInTransaction, e1.operationIndexInTransaction], [0n, 1n]);
    const secondUrl = core.jitsi.joinUrl(core.jitsi.roomName(session.key), 'https://second.example');
    const list = await jitsi();
    assert.equal((await status(list)).videoJoinUrl, secondUrl);
    assert.equal((await status([...list].reverse())).videoJoinUrl, secondUrl);
    assert.deepEqual((await status(list)).ignored, ign(3, 1, 1));
  });

  test('payments: the submission by the learner, the validation by the mentor', async () => {
    const session = await newSession('bob', {
      sessionDate: '2027-01-17T18:00:00Z', requiresPayment: true, paymentAddress: A, cost: '10',
    });
    const H1 = `0x${'a1'.repeat(32)}`;
    const H2 = `0x${'b2'.repeat(32)}`;
    const submit = (tx, now) => build('session_payment_submission', { session, paymentTxHash: tx, submittedBy: B }, now);
    const validate = (tx, ok, now) => build('session_payment_validation', { session, paymentTxHash: tx, validatedBy: A, validated: ok }, now);
    const payments = async () => [
      ...await read('session_payment_submission', [eq('sessionKey', session.key)]),
      ...await read('session_payment_validation', [eq('sessionKey', session.key)]),
    ];
    const status = async (list) => core.sessions.status({ session, confirmations: [], rejections: [], payments: list ?? await payments(), now: NOW });

    await write('bob', submit(H1));
    const genuine = await status();
    assert.deepEqual(genuine.payment, { txHash: H1, validated: null });
    assert.deepEqual(genuine.ignored, noIgnored);

    // Later submissions in bob's name by mallory and by alice (a participant, but not the learner);
    // validations in alice's name by mallory and by bob; bob's conflicting submission.
    await write('mallory', submit(H2, LATER));
    await write('alice', submit(H2, LATER));
    await write('mallory', validate(H1, true, LATER));
    await write('bob', validate(H1, true, LATER));
    await write('bob', editPayload(submit(H2, LATER), (p) => ({ ...p, paymentTxHash: H1 })));
    const forged = await status();
    assert.deepEqual(kept(forged), kept(genuine));
    assert.deepEqual(forged.ignored, ign(4, 1, 0));

    // Alice's validation acts; then a later forged "not validated" changes nothing.
    await write('alice', validate(H1, true));
    const validated = await status();
    assert.deepEqual(validated.payment, { txHash: H1, validated: true });
    await write('mallory', validate(H1, false, LATER));
    const handed = await write('alice', validate(H1, false, LATER));
    await transfer('alice', handed, 'mallory');
    const afterForged = await status();
    assert.deepEqual(kept(afterForged), kept(validated));
    assert.deepEqual(afterForged.ignored, ign(6, 1, 0));
  });

  test('virtual_gathering: only organizerWallet signs; hostile payloads (20,000-deep nesting) never throw', async () => {
    const community = 'trust-gatherings';
    const g = (organizer, title, date, now) => build('virtual_gathering', {
      organizerWallet: organizer, community, title, sessionDate: date, duration: 90,
    }, now);
    await write('alice', g(A, 'Alice meetup', '2027-01-20T18:00:00Z'));
    await write('bob', g(B, 'Bob meetup', '2027-01-21T18:00:00Z'));
    const gatherings = (opts) => read('virtual_gathering', [eq('community', community)], opts);
    const upcoming = (list) => core.gatherings.upcoming(list, { now: NOW, community });
    const genuine = upcoming(await gatherings());
    assert.deepEqual(genuine.gatherings.map((x) => [x.title, x.organizerWallet]), [['Alice meetup', A], ['Bob meetup', B]]);
    assert.deepEqual([genuine.ignored, genuine.skipped], [noIgnored, 0]);

    // A gathering claiming alice as organizer, signed by mallory (sooner, so it would be listed first).
    await write('mallory', g(A, 'Alice meetup (moved)', '2027-01-19T18:00:00Z', LATER));
    // Alice's gathering handed to mallory.
    const handed = await write('alice', g(A, 'Handed over', '2027-01-19T18:00:00Z'));
    await transfer('alice', handed, 'mallory');
    // Signed by alice, title in the payload differs from the attribute.
    await write('alice', editPayload(g(A, 'Queried title', '2027-01-19T18:00:00Z'), (p) => ({ ...p, title: 'Shown title' })));
    // Signed by alice, hostile payloads: arrays nested 20,000 deep (inside an object and at the top), not JSON, too long a string.
    const deep = `${'['.repeat(20000)}${']'.repeat(20000)}`;
    await write('alice', rawPayload(g(A, 'Deep', '2027-01-19T18:00:00Z'), `{"description":${deep}}`));
    await write('alice', rawPayload(g(A, 'Deep top', '2027-01-19T18:00:00Z'), deep));
    await write('alice', rawPayload(g(A, 'Broken', '2027-01-19T18:00:00Z'), '{"title": "unterminated'));
    await write('alice', editPayload(g(A, 'Long', '2027-01-19T18:00:00Z'), (p) => ({ ...p, description: 'x'.repeat(20000) })));

    const all = await gatherings();
    assert.equal(all.length, 9);
    const forged = upcoming(all);
    assert.deepEqual(forged.gatherings, genuine.gatherings);
    assert.deepEqual(forged.ignored, ign(2, 1, 4));
    assert.equal(forged.skipped, 7);
    assert.deepEqual(upcoming([...all].reverse()).gatherings, genuine.gatherings);
    // Without metadata, or with creator/owner stripped: nothing is listed.
    const bare = upcoming(await gatherings({ metadata: false }));
    assert.deepEqual(bare.gatherings, []);
    assert.deepEqual(bare.ignored, ign(4, 1, 4));
    const stripped = upcoming(all.map(stripSigner));
    assert.deepEqual(stripped.gatherings, []);
    assert.deepEqual(stripped.ignored, ign(4, 1, 4));

    // A genuine gathering by mallory herself is listed, as hers (spam is shown for what it is).
    await write('mallory', g(M, 'Mallory meetup', '2027-01-22T18:00:00Z'));
    const withOwn = upcoming(await gatherings());
    assert.deepEqual(withOwn.gatherings.map((x) => [x.title, x.organizerWallet]),
      [['Alice meetup', A], ['Bob meetup', B], ['Mallory meetup', M]]);
    assert.deepEqual(withOwn.ignored, ign(2, 1, 4));
  });

  test('gathering RSVPs: only the attendee (learnerWallet) signs; other names raise no count', async () => {
    const community = 'trust-rsvps';
    const g1 = await get(await write('alice', build('virtual_gathering', {
      organizerWallet: A, community, title: 'RSVP night', sessionDate: '2027-01-23T18:00:00Z',
    })));
    const g2 = await get(await write('bob', build('virtual_gathering', {
      organizerWallet: B, community, title: 'Other night', sessionDate: '2027-01-24T18:00:00Z',
    })));
    const rsvp = (gathering, attendee, now) => build('gathering_rsvp', { gathering, attendeeWallet: attendee }, now);
    const bobRsvp = await write('bob', rsvp(g1, B));
    await write('carol', rsvp(g1, C));
    const rsvps = (opts) => read('session', [eq('skill', 'virtual_gathering_rsvp')], opts);
    const summary = async (list, viewer) => core.gatherings.rsvps({ rsvps: list ?? await rsvps(), viewer });
    const genuine = await summary(undefined, B);
    assert.deepEqual(genuine.counts, { [g1.key]: 2 });
    assert.deepEqual(genuine.attendees[g1.key].slice().sort(), [B, C].sort());
    assert.equal(genuine.viewerRsvps[g1.key].key, bobRsvp);
    assert.deepEqual(genuine.ignored, noIgnored);

    // Mallory RSVPs in bob's name (later, so it would be bob's newest), in dave's and in alice's.
    await write('mallory', rsvp(g1, B, LATER));
    await write('mallory', rsvp(g1, D));
    await write('mallory', rsvp(g1, A));
    // Carol's RSVP to bob's gathering, handed to mallory.
    const handed = await write('carol', rsvp(g2, C));
    await transfer('carol', handed, 'mallory');
    // Dave's RSVP whose payload names the other gathering.
    await write('dave', editPayload(rsvp(g1, D), (p) => ({ ...p, gatheringKey: g2.key })));
    const all = await rsvps();
    const forged = await summary(all, B);
    assert.deepEqual(kept(forged), kept(genuine));
    assert.deepEqual(forged.ignored, ign(4, 1, 0));
    assert.equal(core.gatherings.rsvpCount(all, g1.key), 2);
    assert.equal(core.gatherings.rsvpCount(all, g2.key), 0);
    // The viewer dave has no RSVP of his own (mallory's in his name does not count as one).
    assert.deepEqual((await summary(all, D)).viewerRsvps, {});
    const bare = await summary(await rsvps({ metadata: false }), B);
    assert.deepEqual([bare.counts, bare.viewerRsvps], [{}, {}]);
    assert.deepEqual(bare.ignored, ign(6, 1, 0));

    // The forged RSVP is no session either: its status throws; bob's own RSVP needs bob's confirmation.
    const forgedRsvp = all.find((e) => e.creator === M && attr(e, 'learnerWallet') === B);
    assert.throws(() => core.sessions.status({ session: forgedRsvp, now: NOW }), unverified('session'));
    const bobSession = await get(bobRsvp);
    await write('mallory', build('session_confirmation', { session: bobSession, confirmedBy: B }));
    const rsvpStatus = async () => core.sessions.status({
      session: bobSession, confirmations: await read('session_confirmation', [eq('sessionKey', bobRsvp)]), now: NOW,
    });
    const pending = await rsvpStatus();
    assert.deepEqual([pending.status, pending.isGatheringRsvp, pending.learnerConfirmed, pending.ignored], ['pending', true, false, ign(1)]);
    await write('bob', build('session_confirmation', { session: bobSession, confirmedBy: B }));
    assert.equal((await rsvpStatus()).status, 'scheduled');

    // Genuine RSVPs still count: dave's own, and mallory's own (one wallet, one attendee).
    // Mallory's RSVP in dave's name does not make dave "already RSVPed"; bob's genuine one does.
    assert.throws(() => build('gathering_rsvp', { gathering: g1, attendeeWallet: B, existingRsvps: all }),
      (err) => err instanceof ConveneError && err.code === 'ALREADY_RSVPED');
    await write('dave', build('gathering_rsvp', { gathering: g1, attendeeWallet: D, existingRsvps: all }));
    await write('mallory', rsvp(g1, M));
    const more = await summary(undefined, D);
    assert.deepEqual(more.counts, { [g1.key]: 4 });
    assert.deepEqual(more.attendees[g1.key].slice().sort(), [B, C, D, M].sort());
    assert.ok(more.viewerRsvps[g1.key]);
    assert.equal(more.viewerRsvps[g1.key].creator, D);
    assert.deepEqual(more.ignored, ign(4, 1, 0));
  });

  describe('event series', () => {
    const community = 'trust-series';
    const RECURRENCE = 'DTSTART;TZID=Europe/Berlin:20270104T190000\nRRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=8';
    // Mondays 19:00 Berlin (CET, UTC+1).
    const R = ['2027-01-04', '2027-01-11', '2027-01-18', '2027-01-25', '2027-02-01', '2027-02-08', '2027-02-15', '2027-02-22']
      .map((d) => `${d}T18:00:00.000Z`);
    const seriesInput = { organizerWallet: A, community, title: 'Rust night', duration: 90, recurrence: RECURRENCE };
    let series;
    let baseline;
    let materialized;

    const exceptions = (opts) => read('event_series_exception', [eq('seriesKey', series.key)], opts);
    const seriesGatherings = (opts) => read('virtual_gathering', [eq('seriesKey', series.key)], opts);
    const occurrences = async (ex, ga) => core.series.occurrences({
      series, exceptions: ex ?? await exceptions(), gatherings: ga ?? await seriesGatherings(), after: R[0], before: R[7],
    });
    const states = (occ) => occ.map((o) => o.state);
    const exception = (recurrenceId, kind, now, changes) => build('event_series_exception', { series, recurrenceId, kind, changes }, now);

    before(async () => {
      series = await get(await write('alice', build('event_series', seriesInput)));
    });

    test('event_series: only its organizerWallet makes it evidence', async () => {
      const planned = await occurrences([], []);
      assert.equal(planned.length, 8);
      assert.deepEqual(planned.map((o) => o.recurrenceId), R);
      assert.deepEqual(states(planned), Array(8).fill('planned'));
      assert.deepEqual(planned.ignored, noIgnored);

      const forged = await get(await write('mallory', build('event_series', seriesInput)));
      const handedKey = await write('alice', build('event_series', seriesInput));
      await transfer('alice', handedKey, 'mallory');
      const handed = await get(handedKey);
      const [bare] = (await read('event_series', [eq('community', community)], { metadata: false })).filter((e) => e.key === series.key);
      const conflicting = await get(await write('alice', editPayload(build('event_series', seriesInput), (p) => ({ ...p, title: 'Other night' }))));
      for (const s of [forged, handed, bare, stripSigner(series)]) {
        const args = { series: s, exceptions: [], gatherings: [], limit: 3 };
        assert.throws(() => core.series.occurrences(args), unverified('series'));
        assert.throws(() => core.series.planMaterialization(args, { now: NOW }), unverified('series'));
        assert.throws(() => core.series.next({ ...args, now: NOW }), unverified('series'));
      }
      assert.throws(() => core.series.occurrences({ series: conflicting, limit: 3 }), (err) => err instanceof ConveneError
        && err.code === 'CONFLICTING_FIELDS' && err.field.startsWith('series'));
    });

    test('materialized gatherings: a forged one with a later createdAt does not replace the join link', async () => {
      const plan = core.series.planMaterialization({ series, exceptions: [], gatherings: [], horizonDays: 28 }, { now: NOW });
      assert.equal(plan.create.length, 4);
      assert.deepEqual([plan.update, plan.cancel, plan.ignored], [[], [], noIgnored]);
      materialized = await writeMany('alice', plan.create);
      baseline = await occurrences();
      assert.deepEqual(states(baseline), ['materialized', 'materialized', 'materialized', 'materialized', 'planned', 'planned', 'planned', 'planned']);
      const byRid = Object.fromEntries(await Promise.all(materialized.map(async (k) => {
        const e = await get(k);
        return [attr(e, 'recurrenceId'), { key: k, url: attr(e, 'videoJoinUrl') }];
      })));
      for (const o of baseline.slice(0, 4)) {
        assert.equal(o.gatheringKey, byRid[o.recurrenceId]?.key, o.recurrenceId);
        assert.equal(o.videoJoinUrl, byRid[o.recurrenceId].url);
        assert.match(o.videoJoinUrl, /^https:\/\/meet\.jit\.si\/gathering-[0-9a-f]{32}$/);
      }
      assert.deepEqual(baseline.ignored, noIgnored);

      // Mallory's gathering for the 01-11 occurrence, claiming alice as organizer, later createdAt, phishing link;
      // and one in her own name carrying the series' key; alice's handed to mallory; alice's conflicting one.
      const occ = (organizer, rid, extra, now = LATER) => build('virtual_gathering', {
        organizerWallet: organizer, community, title: 'Rust night', sessionDate: rid, duration: 90,
        videoProvider: 'custom', videoJoinUrl: EVIL, seriesKey: series.key, recurrenceId: rid, ...extra,
      }, now);
      await write('mallory', occ(A, R[1]));
      await write('mallory', occ(M, R[1]));
      const handed = await write('alice', occ(A, R[2]));
      await transfer('alice', handed, 'mallory');
      await write('alice', editPayload(occ(A, R[3]), (p) => ({ ...p, videoJoinUrl: 'https://meet.jit.si/other' })));
      const all = await seriesGatherings();
      assert.equal(all.length, 8);
      const forged = await occurrences(undefined, all);
      assert.deepEqual([...forged], [...baseline]);
      assert.equal(forged[1].videoJoinUrl, baseline[1].videoJoinUrl);
      assert.notEqual(forged[1].videoJoinUrl, EVIL);
      assert.deepEqual(forged.ignored, ign(3, 1, 0));
      assert.deepEqual([...await occurrences(undefined, [...all].reverse())], [...baseline]);
      const plan2 = core.series.planMaterialization({ series, exceptions: [], gatherings: all, horizonDays: 28 }, { now: NOW });
      assert.deepEqual([plan2.create, plan2.update, plan2.cancel], [[], [], []]);
      assert.deepEqual(plan2.ignored, ign(3, 1, 0));
      const next = core.series.next({ series, exceptions: [], gatherings: all, now: NOW });
      assert.deepEqual(next, baseline[0]);
      // Without metadata none of the gatherings is the series': all occurrences are only planned.
      const bare = await occurrences(undefined, await seriesGatherings({ metadata: false }));
      assert.deepEqual(states(bare), Array(8).fill('planned'));
      assert.deepEqual(bare.ignored, ign(7, 1, 0));

      // Listing: with the series given, a gathering claiming it but not signed by its organizer is dropped,
      // one claiming alice is unverified anyway; alice's four are listed with their series claim.
      const listed = core.gatherings.upcoming(all, { now: NOW, community, series: [series] });
      assert.deepEqual(listed.gatherings.map((x) => x.key).sort(), [...materialized].sort());
      assert.ok(listed.gatherings.every((x) => x.seriesKey === series.key && x.videoJoinUrl !== EVIL));
      assert.deepEqual(listed.ignored, ign(3, 1, 0));
      // Without the series, mallory's own gathering is listed as hers, its series claim removed.
      const loose = core.gatherings.upcoming(all, { now: NOW, community });
      const hers = loose.gatherings.filter((x) => x.organizerWallet === M);
      assert.equal(hers.length, 1);
      assert.equal(hers[0].seriesKey, undefined);
      assert.equal(hers[0].recurrenceId, undefined);
      assert.ok(loose.gatherings.filter((x) => x.organizerWallet === A).every((x) => x.seriesKey === undefined));

      // Two genuine gatherings for one occurrence (02-08) in ONE transaction: the later operation wins,
      // though the first claims a later createdAt.
      const [first, second] = await writeMany('alice', [
        build('virtual_gathering', { organizerWallet: A, community, title: 'Rust night', sessionDate: R[5], duration: 90, seriesKey: series.key, recurrenceId: R[5] }, LATER),
        build('virtual_gathering', { organizerWallet: A, community, title: 'Rust night', sessionDate: R[5], duration: 90, seriesKey: series.key, recurrenceId: R[5] }, NOW),
      ]);
      const list = await seriesGatherings();
      for (const l of [list, [...list].reverse()]) {
        const o = await occurrences([], l);
        assert.equal(o[5].state, 'materialized');
        assert.equal(o[5].gatheringKey, second);
        assert.equal(o[5].videoJoinUrl, attr(await get(second), 'videoJoinUrl'));
        assert.notEqual(o[5].gatheringKey, first);
        assert.deepEqual([...o.slice(0, 5)], [...baseline.slice(0, 5)]);
      }
    });

    test('event_series_exception: only the organizer; newest by chain position, not createdAt', async () => {
      const [g0, g1, g2, g3] = materialized;
      // Mallory cancels 01-11 (with a later createdAt) and moves 01-18; alice's cancellation of 01-04 is
      // handed to mallory; alice's cancellation of 01-25 says 'reinstated' in its payload; a broken one.
      await write('mallory', exception(R[1], 'cancelled', LATER));
      await write('mallory', exception(R[2], 'modified', LATER, { title: 'Moved to evil', sessionDate: '2027-01-19T18:00:00Z' }));
      const handed = await write('alice', exception(R[0], 'cancelled'));
      await transfer('alice', handed, 'mallory');
      await write('alice', editPayload(exception(R[3], 'cancelled'), (p) => ({ ...p, kind: 'reinstated' })));
      await write('alice', rawPayload(exception(R[3], 'cancelled'), '{}}'));
      const ex = await exceptions();
      assert.equal(ex.length, 5);
      const gatherings = await seriesGatherings();
      const forged = await occurrences(ex, gatherings);
      const before = await occurrences([], gatherings);
      assert.deepEqual([...forged], [...before]);
      assert.deepEqual(states(forged.slice(0, 4)), ['materialized', 'materialized', 'materialized', 'materialized']);
      assert.equal(forged[2].title, 'Rust night');
      const planArgs = (exs) => ({ series, exceptions: exs, gatherings, horizonDays: 28 });
      const plan = core.series.planMaterialization(planArgs(ex), { now: NOW });
      assert.deepEqual(plan.cancel, []);
      assert.deepEqual(plan.update, []);
      assert.deepEqual(plan.create, []);
      // The series' gatherings carry the previous test's forgeries (3 unverified, 1 conflicting); the
      // exceptions add 3 unverified, 1 conflicting, 1 malformed.
      assert.deepEqual(before.ignored, ign(3, 1, 0));
      assert.deepEqual(forged.ignored, ign(6, 2, 1));
      assert.deepEqual(plan.ignored, ign(6, 2, 1));
      // Without metadata alice's own exceptions do not count either.
      await write('alice', exception(R[6], 'cancelled'));
      const bareEx = await exceptions({ metadata: false });
      assert.deepEqual(states(await occurrences(bareEx, gatherings)), states(before));
      assert.deepEqual(states(await occurrences((await exceptions()).map(stripSigner), gatherings)), states(before));
      assert.equal((await occurrences(await exceptions(), gatherings))[6].state, 'cancelled');

      // Genuine exceptions act. Alice cancels 01-11: the plan cancels its gathering.
      await write('alice', exception(R[1], 'cancelled'));
      const afterCancel = await occurrences(undefined, gatherings);
      assert.equal(afterCancel[1].state, 'cancelled');
      assert.equal(afterCancel[1].gatheringKey, g1);
      const plan2 = core.series.planMaterialization(planArgs(await exceptions()), { now: NOW });
      // (a retirement is an update of the gathering, marked cancelled: issue 12)
      assert.deepEqual(plan2.cancel.map(({ entityKey, recurrenceId, reason }) => ({ entityKey, recurrenceId, reason })),
        [{ entityKey: g1, recurrenceId: afterCancel[1].recurrenceId, reason: 'cancelled' }]);

      // Skewed createdAt: alice cancels 01-18 with a createdAt two days ahead, then reinstates it with an
      // earlier createdAt. The later write on the chain (reinstated) wins.
      await write('alice', exception(R[2], 'cancelled', LATER));
      await write('alice', exception(R[2], 'reinstated', NOW));
      const reinstated = await occurrences(undefined, gatherings);
      assert.equal(reinstated[2].state, 'materialized');
      assert.equal(reinstated[2].gatheringKey, g2);
      assert.deepEqual(core.series.planMaterialization(planArgs(await exceptions()), { now: NOW }).cancel.map((c) => c.entityKey), [g1]);

      // Two versions in ONE transaction: 01-25 cancelled then modified (modified wins); 02-01 modified then
      // cancelled (cancelled wins). The first of each claims the later createdAt.
      await writeMany('alice', [
        exception(R[3], 'cancelled', LATER),
        exception(R[3], 'modified', NOW, { title: 'Rust night (longer)', duration: 120 }),
      ]);
      await writeMany('alice', [
        exception(R[4], 'modified', LATER, { title: 'Should lose' }),
        exception(R[4], 'cancelled', NOW),
      ]);
      const exList = await exceptions();
      for (const l of [exList, [...exList].reverse()]) {
        const o = await occurrences(l, gatherings);
        assert.deepEqual(states(o), ['materialized', 'cancelled', 'materialized', 'modified', 'cancelled', 'materialized', 'cancelled', 'planned']);
        assert.equal(o[3].title, 'Rust night (longer)');
        assert.equal(o[3].duration, 120);
        assert.equal(o[3].gatheringKey, g3);
        assert.equal(o[0].gatheringKey, g0);
      }
      const plan3 = core.series.planMaterialization(planArgs(exList), { now: NOW });
      assert.deepEqual(plan3.cancel.map((c) => c.entityKey), [g1]);
      assert.deepEqual(plan3.update.map((u) => u.entityKey), [g3]);
      const next = core.series.next({ series, exceptions: exList, gatherings, now: '2027-01-05T00:00:00Z' });
      assert.equal(next.recurrenceId, reinstated[2].recurrenceId);
    });

    test('event_series_follow: only followerWallet signs', async () => {
      const follow = (wallet, now) => build('event_series_follow', { series, followerWallet: wallet }, now);
      const bobFollow = await write('bob', follow(B));
      const follows = (opts) => read('event_series_follow', [eq('seriesKey', series.key)], opts);
      const followers = async (list, viewer) => core.series.followers({ follows: list ?? await follows(), seriesKey: series.key, viewer });
      const genuine = await followers(undefined, C);
      assert.equal(genuine.count, 1);
      assert.deepEqual(genuine.followers.map((f) => [f.key, f.followerWallet]), [[bobFollow, B]]);
      assert.equal(genuine.viewerFollow, null);
      assert.deepEqual(genuine.ignored, noIgnored);

      await write('mallory', follow(C, LATER));
      await write('mallory', follow(B, LATER));
      await write('mallory', follow(A));
      const handed = await write('carol', follow(C));
      await transfer('carol', handed, 'mallory');
      await write('dave', editPayload(follow(D), (p) => ({ ...p, followerWallet: C })));
      await write('dave', rawPayload(follow(D), '[]'));
      const all = await follows();
      const forged = await followers(all, C);
      assert.deepEqual(kept(forged), kept(genuine));
      assert.deepEqual(forged.ignored, ign(4, 1, 1));
      const asBob = await followers(all, B);
      assert.equal(asBob.viewerFollow.key, bobFollow);
      const bare = await followers(await follows({ metadata: false }), B);
      assert.deepEqual([bare.count, bare.followers, bare.viewerFollow], [0, [], null]);
      assert.deepEqual(bare.ignored, ign(5, 1, 1));

      // Mallory's follow in carol's name and carol's handed-over follow do not make carol "already following";
      // bob's genuine follow does.
      assert.throws(() => build('event_series_follow', { series, followerWallet: B, existingFollows: all }),
        (err) => err instanceof ConveneError && err.code === 'ALREADY_FOLLOWING');
      const carolFollow = await write('carol', build('event_series_follow', { series, followerWallet: C, existingFollows: all }));
      const more = await followers(undefined, C);
      assert.equal(more.count, 2);
      assert.deepEqual(more.followers.map((f) => f.followerWallet).sort(), [B, C].sort());
      assert.equal(more.viewerFollow.key, carolFollow);
      assert.deepEqual(more.ignored, ign(4, 1, 1));
    });
  });

  test('meeting_event: only the signers the caller allows; a forged copy of an eventId does not shadow the real one', async () => {
    const session = await newSession('bob', { sessionDate: '2027-01-26T18:00:00Z' });
    const meetingId = session.key;
    const signers = [A, B];
    const at = (i) => `2027-01-26T18:0${i}:00.000Z`;
    const ev = (name, payload, participantId, i) => core.events.normalize(name, payload, { meetingId, participantId, now: at(i) });
    const aliceJoin = ev('participantJoined', { id: 'alice-p', displayName: 'Alice' }, 'alice-p', 1);
    const bobJoin = ev('participantJoined', { id: 'bob-p', displayName: 'Bob' }, 'bob-p', 2);
    const aliceMute = ev('audioMuteStatusChanged', { muted: true }, 'alice-p', 3);
    const sink = (who) => arkivSink(w[who]);
    /** The entity arkivSink writes for record `r`, with `payloadChanges` made to its payload only. */
    const eventDraft = (r, payloadChanges = {}) => ({
      payload: enc.encode(JSON.stringify({ ...r, ...payloadChanges })), contentType: 'application/json', expiresIn: 3600,
      attributes: [{ key: 'type', value: 'meeting_event' }, { key: 'meetingId', value: r.meetingId }, { key: 'eventType', value: r.type },
        { key: 'eventId', value: r.eventId }, { key: 'spaceId', value: 'local-dev' }, { key: 'createdAt', value: r.timestamp },
        { key: 'participantId', value: r.participantId }],
    });
    // Mallory writes, BEFORE alice, a copy of alice's join with the same eventId and a false name.
    assert.deepEqual(await sink('mallory')([{ ...aliceJoin, payload: { ...aliceJoin.payload, displayName: 'Mallory as Alice' } }]), { status: 200 });
    assert.deepEqual(await sink('alice')([aliceJoin, aliceMute]), { status: 200 });
    assert.deepEqual(await sink('bob')([bobJoin]), { status: 200 });
    const events = (opts) => read('meeting_event', [eq('meetingId', meetingId)], opts);
    const all1 = await events();
    const genuineList = all1.filter((e) => e.creator !== M);
    const genuine = core.events.fromEntities(genuineList, { signers });
    assert.deepEqual(genuine.events.map((e) => [e.eventId, e.signer]),
      [[aliceJoin.eventId, A], [bobJoin.eventId, B], [aliceMute.eventId, A]]);
    assert.equal(genuine.events[0].payload.displayName, 'Alice');
    assert.deepEqual(genuine.ignored, noIgnored);

    // More forgeries: mallory's own event in the meeting, bob's event handed to mallory, alice's record
    // whose payload names another meeting than the attribute the query matched.
    await sink('mallory')([ev('participantLeft', { id: 'bob-p' }, 'bob-p', 4)]);
    const [handed] = await writeMany('bob', [eventDraft(ev('participantLeft', { id: 'bob-p' }, 'bob-p', 5))]);
    await transfer('bob', handed, 'mallory');
    await writeMany('alice', [eventDraft(ev('participantLeft', { id: 'alice-p' }, 'alice-p', 6), { meetingId: '0xother' })]);
    const all = await events();
    assert.equal(all.length, 7);
    const forged = core.events.fromEntities(all, { signers });
    assert.deepEqual(forged.events, genuine.events);
    assert.deepEqual(forged.ignored, ign(3, 1, 0));
    assert.deepEqual(core.events.fromEntities([...all].reverse(), { signers }).events, genuine.events);
    // Without metadata nothing is kept; fewer allowed signers keep fewer records.
    const bare = core.events.fromEntities(await events({ metadata: false }), { signers });
    assert.deepEqual(bare.events, []);
    assert.deepEqual(bare.ignored, ign(6, 1, 0));
    const onlyAlice = core.events.fromEntities(all, { signers: [A] });
    assert.deepEqual(onlyAlice.events.map((e) => e.eventId), [aliceJoin.eventId, aliceMute.eventId]);
  });

  test('every error thrown above was a ConveneError with a code', () => {
    assert.ok(thrown.length >= 10, `expected the UNVERIFIED/CONFLICTING/MALFORMED cases to throw, got ${thrown.length}`);
    for (const { call, err } of thrown) {
      assert.ok(err instanceof ConveneError, call);
      assert.equal(typeof err.code, 'string', call);
      assert.equal(typeof err.field, 'string', call);
    }
    const codes = new Set(thrown.map((t) => t.err.code));
    for (const c of ['UNVERIFIED_ENTITY', 'CONFLICTING_FIELDS', 'MALFORMED_ENTITY']) assert.ok(codes.has(c), `${c} in ${[...codes]}`);
  });
});
