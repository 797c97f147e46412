// The console page's CSS: Discord's dark theme, embeds, buttons; one column on a phone.
export const STYLE = `
:root { --bg: #313338; --side: #2b2d31; --deep: #1e1f22; --text: #dbdee1; --muted: #949ba4; --head: #f2f3f5;
  --blurple: #5865f2; --green: #248046; --red: #da373c; --grey: #4e5058; --embed: #2b2d31; --link: #00a8fc; }
* { box-sizing: border-box; }
html, body { height: 100%; margin: 0; }
body { background: var(--bg); color: var(--text); display: flex; font: 15px/1.375 "gg sans", "Noto Sans", "Helvetica Neue", Helvetica, Arial, sans-serif; }
button { font: inherit; cursor: pointer; }
aside { width: 260px; flex: none; background: var(--side); display: flex; flex-direction: column; overflow-y: auto; }
aside.right { border-left: 1px solid var(--deep); }
aside h1 { font-size: 15px; color: var(--head); margin: 0; padding: 14px 16px; border-bottom: 1px solid var(--deep); }
.intro { margin: 10px 12px 0; font-size: 13px; color: var(--text); }
.intro b { color: var(--head); font-weight: 600; }
.steps { margin: 0; padding-left: 18px; font-size: 13px; color: var(--text); }
.steps li { margin: 2px 0; }
.steps b { color: var(--head); }
.state { float: right; text-transform: none; letter-spacing: 0; font-weight: 700; padding: 0 6px; border-radius: 4px; background: var(--grey); color: #fff; }
.state.open { background: #23a559; } .state.closed { background: var(--red); }
.prices { width: 100%; border-collapse: collapse; font-size: 13px; margin-bottom: 4px; font-variant-numeric: tabular-nums; }
.prices th { text-align: left; color: var(--head); font-weight: 600; padding: 2px 0; }
.prices td { text-align: right; padding: 2px 0; }
.prices td.iv { color: var(--muted); }
.panel .moves button { padding: 6px 0; }
.panel button:disabled { opacity: .6; cursor: progress; }
.panel { margin: 16px 12px 0; }
.clock-now { display: flex; align-items: baseline; gap: 8px; margin-bottom: 4px; font-variant-numeric: tabular-nums; }
.clock-now .hm { font-size: 22px; font-weight: 600; color: var(--head); }
.clock-now .day { font-size: 12px; color: var(--muted); }
.panel button.jump { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; text-align: left; }
.panel button.jump small { font-size: 12px; color: var(--muted); white-space: nowrap; font-variant-numeric: tabular-nums; }
.panel button.jump.none:disabled { cursor: not-allowed; }
.slots { display: flex; flex-direction: column; gap: 6px; margin-bottom: 6px; }
.panel button.slot { display: flex; flex-direction: column; align-items: flex-start; gap: 1px; text-align: left; }
.panel button.slot small { font-size: 11px; color: var(--muted); }
.books { width: 100%; border-collapse: collapse; font-size: 13px; margin-bottom: 4px; font-variant-numeric: tabular-nums; }
.books th, .books td { padding: 3px 4px; }
.books .head td { color: var(--muted); font-size: 12px; padding-top: 0; }
.books .leg { text-align: left; white-space: nowrap; }
.books th.leg { color: var(--head); font-weight: 500; }
.books .qty { text-align: right; }
.books td.none { color: var(--muted); }
.books .mark { width: 18px; text-align: center; color: var(--muted); }
.books tr.differ { background: rgba(218,55,60,.16); }
.books tr.differ .mark { color: #f38688; font-weight: 700; }
.state.agree { background: #23a559; } .state.differ { background: var(--red); }
.panel .row select { flex: 1; }
.panel .row select + button { flex: none; width: auto; padding: 6px 14px; }
.panel:last-child { margin-bottom: 16px; }
.panel h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .02em; color: var(--muted); margin: 0 0 6px; }
.panel select, .panel button { width: 100%; margin: 2px 0; padding: 6px 8px; border-radius: 4px; border: 0; background: var(--deep); color: var(--text); }
.panel .row { display: flex; gap: 6px; }
.panel .row button { flex: 1; }
.panel button:hover { background: #35373c; }
.note { font-size: 12px; color: var(--muted); margin: 6px 0 0; min-height: 16px; }
main { flex: 1; display: flex; flex-direction: column; min-width: 0; }
header { height: 48px; flex: none; display: flex; align-items: center; gap: 10px; padding: 0 16px; border-bottom: 1px solid var(--deep); box-shadow: 0 1px 0 rgba(4,4,5,.2); }
header .name { color: var(--head); font-weight: 600; white-space: nowrap; flex: none; }
header .name::before { content: "# "; color: var(--muted); }
header .topic { color: var(--muted); font-size: 13px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0; }
header .badge { flex: none; }
.badge { font-size: 11px; font-weight: 700; padding: 1px 6px; border-radius: 4px; background: var(--grey); color: #fff; }
.badge.paper { background: #23a559; } .badge.live { background: var(--red); }
#messages { flex: 1; overflow-y: auto; padding: 12px 0 16px; }
.empty { color: var(--muted); text-align: center; margin: 25vh auto 0; max-width: 440px; }
.empty .go { margin-top: 12px; border: 0; border-radius: 4px; padding: 8px 18px; background: var(--blurple); color: #fff; font-weight: 600; }
.msg { display: flex; gap: 14px; padding: 6px 16px 6px 16px; margin-top: 10px; }
.msg:hover { background: #2e3035; }
.msg.ephemeral { background: rgba(88,101,242,.07); }
.avatar { width: 40px; height: 40px; flex: none; border-radius: 50%; background: var(--blurple); color: #fff; display: grid; place-items: center; font-weight: 700; font-size: 14px; margin-top: 2px; }
.body { min-width: 0; flex: 1; }
.reply { font-size: 13px; color: var(--muted); margin-bottom: 2px; }
.reply b { color: var(--text); font-weight: 500; }
.reply .cmd { color: var(--link); }
.meta { display: flex; align-items: baseline; gap: 6px; }
.author { color: var(--head); font-weight: 500; }
.app { font-size: 10px; font-weight: 600; background: var(--blurple); color: #fff; padding: 0 4px; border-radius: 3px; line-height: 15px; }
.time { font-size: 12px; color: var(--muted); }
.content { white-space: pre-wrap; word-wrap: break-word; }
.edited { font-size: 10px; color: var(--muted); margin-left: 4px; }
.thinking { color: var(--muted); font-style: italic; }
.embed { max-width: 520px; margin-top: 6px; background: var(--embed); border-left: 4px solid #1e1f22; border-radius: 4px; padding: 8px 16px 12px 12px; }
.embed-image { display: block; max-width: 100%; margin-top: 8px; border-radius: 4px; }
.embed .title { color: var(--head); font-weight: 600; margin-top: 4px; }
.embed .desc { margin-top: 6px; font-size: 14px; white-space: pre-wrap; word-wrap: break-word; }
.fields { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 8px 12px; margin-top: 8px; }
.field { grid-column: 1 / -1; font-size: 14px; min-width: 0; }
.field.inline { grid-column: auto; }
.field .fname { color: var(--head); font-weight: 600; margin-bottom: 2px; }
.field .fvalue { white-space: pre-wrap; word-wrap: break-word; }
.footer { margin-top: 8px; font-size: 12px; color: var(--muted); }
.buttons { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; }
.cbtn { border: 0; border-radius: 4px; color: #fff; padding: 4px 16px; min-height: 32px; font-size: 14px; font-weight: 500; }
.cbtn.s1 { background: var(--blurple); } .cbtn.s2 { background: var(--grey); } .cbtn.s3 { background: var(--green); } .cbtn.s4 { background: var(--red); } .cbtn.s5 { background: var(--grey); }
.cbtn:hover { filter: brightness(1.1); }
.cbtn:disabled { opacity: .5; cursor: not-allowed; }
.only-you { font-size: 12px; color: var(--muted); margin-top: 4px; }
.only-you::before { content: "👁 "; }
.mention { background: rgba(88,101,242,.3); color: #c9cdfb; border-radius: 3px; padding: 0 2px; }
.ts { background: rgba(255,255,255,.06); border-radius: 3px; padding: 0 2px; }
code { background: var(--deep); border-radius: 3px; padding: 0 3px; font-size: 85%; }
blockquote { margin: 2px 0; padding-left: 10px; border-left: 4px solid var(--grey); }
footer.compose { flex: none; padding: 8px 16px 20px; border-top: 1px solid rgba(0,0,0,.15); }
.commands { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 8px; }
.commands button { border: 0; border-radius: 4px; padding: 4px 10px; background: #3f4147; color: var(--text); font-weight: 600; }
.commands button:hover { background: var(--blurple); color: #fff; }
.commands button.danger:hover { background: var(--red); }
.input { display: flex; background: #383a40; border-radius: 8px; padding: 0 6px 0 14px; align-items: center; }
.input input { flex: 1; background: none; border: 0; outline: 0; color: var(--text); font: inherit; padding: 11px 0; }
.input button { background: none; border: 0; color: var(--muted); padding: 6px 10px; }
#toasts { position: fixed; right: 16px; bottom: 96px; display: flex; flex-direction: column; gap: 6px; max-width: 380px; }
.toast { background: var(--deep); border-left: 4px solid var(--blurple); padding: 8px 12px; border-radius: 4px; font-size: 13px; box-shadow: 0 4px 12px rgba(0,0,0,.4); }
.toast.bad { border-color: var(--red); }
@media (max-width: 760px) { body { flex-direction: column; } aside { width: auto; max-height: 40vh; } main { flex: none; height: 80vh; } aside.right { max-height: none; border-left: 0; } .fields { grid-template-columns: minmax(0, 1fr); } }
`;
