#!/usr/bin/env python3
# common-passwords.py — (re)make data/common-passwords.txt from well-known
# patterns; run from the top of the tree.
import itertools
words = """password passw0rd p@ssword p@ssw0rd qwerty qwertyuiop qwertz azerty asdfgh asdfghjkl zxcvbnm
iloveyou letmein welcome admin administrator root toor login master dragon monkey football baseball
basketball soccer hockey sunshine shadow princess superman batman starwars trustno1 whatever freedom
michael jennifer jordan hunter ranger harley thomas charlie daniel andrew joshua matthew jessica ashley
liverpool chelsea arsenal barcelona juventus manchester pokemon pikachu minecraft fortnite roblox
computer internet secret changeme default guest test tester testing hello welcome1 summer winter spring
autumn flower cookie cheese chocolate butterfly purple orange banana apple samsung iphone google
microsoft windows linux ubuntu debian oracle cisco security company office service support
qazwsx 1qaz2wsx zaq12wsx qweasd qweasdzxc 1q2w3e4r 1q2w3e4r5t 1q2w3e 123qwe qwe123 abc123 abcdef
abcd1234 abcdefg abcdefgh aaaaaa killer pepper ginger buster tigger soccer1 jordan23 lovely loveme
mylove babygirl babyboy angel angels family friends forever nicole daniel1 access mustang maggie
michelle jasmine robert william richard george summer1 hannah sophie anthony justin austin
yankees cowboys eagles steelers lakers dallas boston london paris berlin madrid europe america
mother father sister brother money dollar diamond silver golden killer1 hacker matrix ninja samurai
wizard merlin gandalf phoenix tiger lion eagle falcon dolphin panther jaguar wolf snoopy scooby
""".split()
suffixes = ["", "1", "12", "123", "1234", "12345", "123456", "1234567", "12345678", "123456789",
            "!", "1!", "123!", "!@#", "01", "007", "69", "99", "00", "2020", "2021", "2022", "2023",
            "2024", "2025", "2026", "@123", "#1", "321", "111", "000"]
out = []
seen = set()
def add(p):
    p = p.strip().lower()
    if p and p not in seen and len(p) <= 64:
        seen.add(p); out.append(p)
# digit runs and repeats
for n in range(6, 21):
    add("".join(str((i + 1) % 10) for i in range(n)))
    add("".join(str(9 - i % 10) for i in range(n)))
    add("0" * n)
    for d in "123456789":
        add(d * n)
for n in range(6, 21):
    for c in "abcdefghijklmnopqrstuvwxyz!":
        add(c * n)
for a in ["12", "123", "1234", "12345", "abc", "ab", "qwe", "asd", "xyz", "1q2w", "qwer", "pass", "love"]:
    for k in range(2, 8):
        add(a * k)
# keyboard walks
rows = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "qwertzuiop", "azertyuiop", "!@#$%^&*()"]
for r in rows:
    for n in range(6, len(r) + 1):
        add(r[:n]); add(r[:n][::-1])
for a, b in itertools.permutations(["qwerty", "asdfgh", "zxcvbn", "123456", "qwertyuiop", "asdfghjkl", "1234567890", "zxcvbnm"], 2):
    add(a + b)
for w in words:
    for s in suffixes:
        add(w + s)
        add(s + w) if s and s[0].isdigit() else None
    add(w + w)
    add(w.replace("a", "@").replace("o", "0").replace("e", "3") + "123")
    add(w.replace("a", "@").replace("o", "0").replace("i", "1").replace("s", "$"))
    add("my" + w); add("i love " + w); add("ilove" + w)
# phrases
for p in ["letmein123", "welcometo", "iloveyou123", "trustno1trustno1", "thequickbrownfox",
          "correcthorsebatterystaple", "passwordpassword", "changemenow", "changeme123",
          "mypassword", "mypassword1", "mypassword123", "secretpassword", "supersecret",
          "supersecretpassword", "administrator1", "adminadmin", "rootroot", "toortoor",
          "letmeinnow", "opensesame", "iamtheadmin", "nopassword", "password!", "passwordpassword1",
          "password1234567", "password12345678", "1password", "12password", "123password",
          "c5hub", "c5hub123", "c5hubadmin", "cirt", "cirt1234", "cert", "cert1234", "csirt", "csirt123",
          "incident", "incident123", "response123", "security123", "cybersecurity", "cybersecurity1",
          "cybersecurity123", "infosec", "infosec123"]:
    add(p)
with open("data/common-passwords.txt", "w") as f:
    f.write("# common-passwords.txt — passwords refused at enrolment (people_password_check),\n")
    f.write("# compared case-insensitively; made from well-known patterns (number and key\n")
    f.write("# runs, common words with the usual endings and substitutions), only those of\n# 12 or more bytes (PEOPLE_PASSWORD_MIN refuses shorter ones).  One a line.\n")
    for p in [p for p in out if len(p) >= 12]:
        f.write(p + "\n")
pass
