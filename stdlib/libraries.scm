;; The standard libraries' export lists: which names of the base library each standard library
;; name gives (read by passes/src/expand/standard_libraries.rs).
;;
;; (standard-library NAME ENTRY ...) where an ENTRY is a name or (exports-of NAME), the
;; names of a library or group listed earlier; (name-group SYMBOL ENTRY ...) names a list that
;; is not a library of its own. The lists are the standards' (R6RS Standard Libraries,
;; R7RS-small appendix A, the Loko manual), not what the base happens to bind: a listed name
;; the base does not bind yet is left out of the export, and the expander's tests list those
;; gaps per library.

;;; R6RS

(standard-library (rnrs base)
  ;; Syntax, including the auxiliary syntax.
  define define-syntax quote lambda if set! cond case and or let let* letrec letrec*
  let-values let*-values begin quasiquote unquote unquote-splicing let-syntax letrec-syntax
  syntax-rules identifier-syntax assert else => ... _
  ;; Procedures.
  eqv? eq? equal? procedure? number? complex? real? rational? integer? real-valued?
  rational-valued? integer-valued? exact? inexact? inexact exact = < > <= >= zero? positive?
  negative? odd? even? finite? infinite? nan? max min + * - / abs div-and-mod div mod
  div0-and-mod0 div0 mod0 gcd lcm numerator denominator floor ceiling truncate round
  rationalize exp log sin cos tan asin acos atan sqrt exact-integer-sqrt expt make-rectangular
  make-polar real-part imag-part magnitude angle number->string string->number not boolean?
  boolean=? pair? cons car cdr caar cadr cdar cddr caaar caadr cadar caddr cdaar cdadr cddar
  cdddr caaaar caaadr caadar caaddr cadaar cadadr caddar cadddr cdaaar cdaadr cdadar cdaddr
  cddaar cddadr cdddar cddddr null? list? list length append reverse list-tail list-ref map
  for-each symbol? symbol->string string->symbol symbol=? char? char->integer integer->char
  char=? char<? char>? char<=? char>=? string? make-string string string-length string-ref
  string=? string<? string>? string<=? string>=? substring string-append string->list
  list->string string-copy string-for-each vector? make-vector vector vector-length vector-ref
  vector-set! vector->list list->vector vector-fill! vector-map vector-for-each error
  assertion-violation apply call-with-current-continuation call/cc values call-with-values
  dynamic-wind)

(standard-library (rnrs unicode)
  char-upcase char-downcase char-titlecase char-foldcase char-ci=? char-ci<? char-ci>?
  char-ci<=? char-ci>=? char-alphabetic? char-numeric? char-whitespace? char-upper-case?
  char-lower-case? char-title-case? char-general-category string-upcase string-downcase
  string-titlecase string-foldcase string-ci=? string-ci<? string-ci>? string-ci<=?
  string-ci>=? string-normalize-nfd string-normalize-nfkd string-normalize-nfc
  string-normalize-nfkc)

(standard-library (rnrs bytevectors)
  endianness native-endianness bytevector? make-bytevector bytevector-length bytevector=?
  bytevector-fill! bytevector-copy! bytevector-copy bytevector-u8-ref bytevector-s8-ref
  bytevector-u8-set! bytevector-s8-set! bytevector->u8-list u8-list->bytevector
  bytevector-uint-ref bytevector-sint-ref bytevector-uint-set! bytevector-sint-set!
  bytevector->uint-list bytevector->sint-list uint-list->bytevector sint-list->bytevector
  bytevector-u16-ref bytevector-s16-ref bytevector-u16-native-ref bytevector-s16-native-ref
  bytevector-u16-set! bytevector-s16-set! bytevector-u16-native-set! bytevector-s16-native-set!
  bytevector-u32-ref bytevector-s32-ref bytevector-u32-native-ref bytevector-s32-native-ref
  bytevector-u32-set! bytevector-s32-set! bytevector-u32-native-set! bytevector-s32-native-set!
  bytevector-u64-ref bytevector-s64-ref bytevector-u64-native-ref bytevector-s64-native-ref
  bytevector-u64-set! bytevector-s64-set! bytevector-u64-native-set! bytevector-s64-native-set!
  bytevector-ieee-single-native-ref bytevector-ieee-single-ref
  bytevector-ieee-double-native-ref bytevector-ieee-double-ref
  bytevector-ieee-single-native-set! bytevector-ieee-single-set!
  bytevector-ieee-double-native-set! bytevector-ieee-double-set! string->utf8 string->utf16
  string->utf32 utf8->string utf16->string utf32->string)

(standard-library (rnrs lists)
  find for-all exists filter partition fold-left fold-right remp remove remv remq memp member
  memv memq assp assoc assv assq cons*)

(standard-library (rnrs sorting)
  list-sort vector-sort vector-sort!)

(standard-library (rnrs control)
  when unless do case-lambda)

(standard-library (rnrs records syntactic)
  define-record-type fields mutable immutable parent protocol sealed opaque nongenerative
  parent-rtd record-type-descriptor record-constructor-descriptor)

(standard-library (rnrs records procedural)
  make-record-type-descriptor record-type-descriptor? make-record-constructor-descriptor
  record-constructor record-predicate record-accessor record-mutator)

(standard-library (rnrs records inspection)
  record? record-rtd record-type-name record-type-parent record-type-uid
  record-type-generative? record-type-sealed? record-type-opaque? record-type-field-names
  record-field-mutable?)

(standard-library (rnrs exceptions)
  with-exception-handler guard raise raise-continuable)

(standard-library (rnrs conditions)
  &condition condition simple-conditions condition? condition-predicate condition-accessor
  define-condition-type
  &message make-message-condition message-condition? condition-message
  &warning make-warning warning?
  &serious make-serious-condition serious-condition?
  &error make-error error?
  &violation make-violation violation?
  &assertion make-assertion-violation assertion-violation?
  &irritants make-irritants-condition irritants-condition? condition-irritants
  &who make-who-condition who-condition? condition-who
  &non-continuable make-non-continuable-violation non-continuable-violation?
  &implementation-restriction make-implementation-restriction-violation
  implementation-restriction-violation?
  &lexical make-lexical-violation lexical-violation?
  &syntax make-syntax-violation syntax-violation? syntax-violation-form syntax-violation-subform
  &undefined make-undefined-violation undefined-violation?)

;; The I/O condition types of R6RS 8.1, exported by both (rnrs io ports) and (rnrs io simple).
(name-group i/o-conditions
  &i/o make-i/o-error i/o-error?
  &i/o-read make-i/o-read-error i/o-read-error?
  &i/o-write make-i/o-write-error i/o-write-error?
  &i/o-invalid-position make-i/o-invalid-position-error i/o-invalid-position-error?
  i/o-error-position
  &i/o-filename make-i/o-filename-error i/o-filename-error? i/o-error-filename
  &i/o-file-protection make-i/o-file-protection-error i/o-file-protection-error?
  &i/o-file-is-read-only make-i/o-file-is-read-only-error i/o-file-is-read-only-error?
  &i/o-file-already-exists make-i/o-file-already-exists-error i/o-file-already-exists-error?
  &i/o-file-does-not-exist make-i/o-file-does-not-exist-error
  i/o-file-does-not-exist-error?
  &i/o-port make-i/o-port-error i/o-port-error? i/o-error-port)

(standard-library (rnrs io ports)
  (exports-of i/o-conditions)
  file-options buffer-mode buffer-mode? latin-1-codec utf-8-codec utf-16-codec eol-style
  native-eol-style error-handling-mode make-transcoder transcoder-codec transcoder-eol-style
  transcoder-error-handling-mode native-transcoder bytevector->string string->bytevector
  eof-object eof-object? port? port-transcoder textual-port? binary-port? transcoded-port
  port-has-port-position? port-position port-has-set-port-position!? set-port-position!
  close-port call-with-port input-port? port-eof? open-file-input-port
  open-bytevector-input-port open-string-input-port standard-input-port current-input-port
  make-custom-binary-input-port make-custom-textual-input-port get-u8 lookahead-u8
  get-bytevector-n get-bytevector-n! get-bytevector-some get-bytevector-all get-char
  lookahead-char get-string-n get-string-n! get-string-all get-line get-datum output-port?
  flush-output-port output-port-buffer-mode open-file-output-port open-bytevector-output-port
  call-with-bytevector-output-port open-string-output-port call-with-string-output-port
  standard-output-port standard-error-port current-output-port current-error-port
  make-custom-binary-output-port make-custom-textual-output-port put-u8 put-bytevector
  put-char put-string put-datum open-file-input/output-port
  make-custom-binary-input/output-port make-custom-textual-input/output-port
  &i/o-decoding make-i/o-decoding-error i/o-decoding-error?
  &i/o-encoding make-i/o-encoding-error i/o-encoding-error? i/o-encoding-error-char)

(standard-library (rnrs io simple)
  (exports-of i/o-conditions)
  eof-object eof-object? call-with-input-file call-with-output-file input-port? output-port?
  current-input-port current-output-port current-error-port with-input-from-file
  with-output-to-file open-input-file open-output-file close-input-port close-output-port
  read-char peek-char read write-char newline display write)

(standard-library (rnrs files)
  file-exists? delete-file)

(standard-library (rnrs programs)
  command-line exit)

(standard-library (rnrs arithmetic fixnums)
  fixnum? fixnum-width least-fixnum greatest-fixnum fx=? fx>? fx<? fx>=? fx<=? fxzero?
  fxpositive? fxnegative? fxodd? fxeven? fxmax fxmin fx+ fx* fx- fxdiv-and-mod fxdiv fxmod
  fxdiv0-and-mod0 fxdiv0 fxmod0 fx+/carry fx-/carry fx*/carry fxnot fxand fxior fxxor fxif
  fxbit-count fxlength fxfirst-bit-set fxbit-set? fxcopy-bit fxbit-field fxcopy-bit-field
  fxarithmetic-shift fxarithmetic-shift-left fxarithmetic-shift-right fxrotate-bit-field
  fxreverse-bit-field)

(standard-library (rnrs arithmetic flonums)
  flonum? real->flonum fl=? fl<? fl>? fl<=? fl>=? flinteger? flzero? flpositive? flnegative?
  flodd? fleven? flfinite? flinfinite? flnan? flmax flmin fl+ fl* fl- fl/ flabs fldiv-and-mod
  fldiv flmod fldiv0-and-mod0 fldiv0 flmod0 flnumerator fldenominator flfloor flceiling
  fltruncate flround flexp fllog flsin flcos fltan flasin flacos flatan flsqrt flexpt
  &no-infinities make-no-infinities-violation no-infinities-violation?
  &no-nans make-no-nans-violation no-nans-violation? fixnum->flonum)

(standard-library (rnrs arithmetic bitwise)
  bitwise-not bitwise-and bitwise-ior bitwise-xor bitwise-if bitwise-bit-count bitwise-length
  bitwise-first-bit-set bitwise-bit-set? bitwise-copy-bit bitwise-bit-field
  bitwise-copy-bit-field bitwise-arithmetic-shift bitwise-arithmetic-shift-left
  bitwise-arithmetic-shift-right bitwise-rotate-bit-field bitwise-reverse-bit-field)

(standard-library (rnrs syntax-case)
  make-variable-transformer syntax-case syntax identifier? bound-identifier=?
  free-identifier=? syntax->datum datum->syntax generate-temporaries with-syntax quasisyntax
  unsyntax unsyntax-splicing syntax-violation)

(standard-library (rnrs hashtables)
  make-eq-hashtable make-eqv-hashtable make-hashtable hashtable? hashtable-size hashtable-ref
  hashtable-set! hashtable-delete! hashtable-contains? hashtable-update! hashtable-copy
  hashtable-clear! hashtable-keys hashtable-entries hashtable-equivalence-function
  hashtable-hash-function hashtable-mutable? equal-hash string-hash string-ci-hash
  symbol-hash)

(standard-library (rnrs enums)
  make-enumeration enum-set-universe enum-set-indexer enum-set-constructor enum-set->list
  enum-set-member? enum-set-subset? enum-set=? enum-set-union enum-set-intersection
  enum-set-difference enum-set-complement enum-set-projection define-enumeration)

(standard-library (rnrs eval)
  eval environment)

(standard-library (rnrs mutable-pairs)
  set-car! set-cdr!)

(standard-library (rnrs mutable-strings)
  string-set! string-fill!)

(standard-library (rnrs r5rs)
  exact->inexact inexact->exact quotient remainder modulo delay force null-environment
  scheme-report-environment)

;; R6RS 15: every library of the report except eval, mutable-pairs, mutable-strings and r5rs.
(standard-library (rnrs)
  (exports-of (rnrs base)) (exports-of (rnrs unicode)) (exports-of (rnrs bytevectors))
  (exports-of (rnrs lists)) (exports-of (rnrs sorting)) (exports-of (rnrs control))
  (exports-of (rnrs records syntactic)) (exports-of (rnrs records procedural))
  (exports-of (rnrs records inspection)) (exports-of (rnrs exceptions))
  (exports-of (rnrs conditions)) (exports-of (rnrs io ports)) (exports-of (rnrs io simple))
  (exports-of (rnrs files)) (exports-of (rnrs programs))
  (exports-of (rnrs arithmetic fixnums)) (exports-of (rnrs arithmetic flonums))
  (exports-of (rnrs arithmetic bitwise)) (exports-of (rnrs syntax-case))
  (exports-of (rnrs hashtables)) (exports-of (rnrs enums)))

;;; R7RS-small, appendix A

(standard-library (scheme base)
  * + - ... / < <= = => > >= _ abs and append apply assoc assq assv begin binary-port?
  boolean=? boolean? bytevector bytevector-append bytevector-copy bytevector-copy!
  bytevector-length bytevector-u8-ref bytevector-u8-set! bytevector? caar cadr
  call-with-current-continuation call-with-port call-with-values call/cc car case cdar cddr
  cdr ceiling char->integer char-ready? char<=? char<? char=? char>=? char>? char?
  close-input-port close-output-port close-port complex? cond cond-expand cons
  current-error-port current-input-port current-output-port define define-record-type
  define-syntax define-values denominator do dynamic-wind else eof-object eof-object? eq?
  equal? eqv? error error-object-irritants error-object-message error-object? even? exact
  exact-integer-sqrt exact-integer? exact? expt features file-error? floor floor-quotient
  floor-remainder floor/ flush-output-port for-each gcd get-output-bytevector
  get-output-string guard if include include-ci inexact inexact? input-port-open?
  input-port? integer->char integer? lambda lcm length let let* let*-values let-syntax
  let-values letrec letrec* letrec-syntax list list->string list->vector list-copy list-ref
  list-set! list-tail list? make-bytevector make-list make-parameter make-string make-vector
  map max member memq memv min modulo negative? newline not null? number->string number?
  numerator odd? open-input-bytevector open-input-string open-output-bytevector
  open-output-string or output-port-open? output-port? pair? parameterize peek-char peek-u8
  positive? procedure? quasiquote quote quotient raise raise-continuable rational? rationalize
  read-bytevector read-bytevector! read-char read-error? read-line read-string read-u8 real?
  remainder reverse round set! set-car! set-cdr! square string string->list string->number
  string->symbol string->utf8 string->vector string-append string-copy string-copy!
  string-fill! string-for-each string-length string-map string-ref string-set! string<=?
  string<? string=? string>=? string>? string? substring symbol->string symbol=? symbol?
  syntax-error syntax-rules textual-port? truncate truncate-quotient truncate-remainder
  truncate/ u8-ready? unless unquote unquote-splicing utf8->string values vector vector->list
  vector->string vector-append vector-copy vector-copy! vector-fill! vector-for-each
  vector-length vector-map vector-ref vector-set! vector? when with-exception-handler
  write-bytevector write-char write-string write-u8 zero?)

(standard-library (scheme case-lambda)
  case-lambda)

(standard-library (scheme char)
  char-alphabetic? char-ci<=? char-ci<? char-ci=? char-ci>=? char-ci>? char-downcase
  char-foldcase char-lower-case? char-numeric? char-upcase char-upper-case? char-whitespace?
  digit-value string-ci<=? string-ci<? string-ci=? string-ci>=? string-ci>? string-downcase
  string-foldcase string-upcase)

(standard-library (scheme complex)
  angle imag-part magnitude make-polar make-rectangular real-part)

(standard-library (scheme cxr)
  caaar caadr cadar caddr cdaar cdadr cddar cdddr caaaar caaadr caadar caaddr cadaar cadadr
  caddar cadddr cdaaar cdaadr cdadar cdaddr cddaar cddadr cdddar cddddr)

(standard-library (scheme eval)
  environment eval)

(standard-library (scheme file)
  call-with-input-file call-with-output-file delete-file file-exists? open-binary-input-file
  open-binary-output-file open-input-file open-output-file with-input-from-file
  with-output-to-file)

(standard-library (scheme inexact)
  acos asin atan cos exp finite? infinite? log nan? sin sqrt tan)

(standard-library (scheme lazy)
  delay delay-force force make-promise promise?)

(standard-library (scheme load)
  load)

(standard-library (scheme process-context)
  command-line emergency-exit exit get-environment-variable get-environment-variables)

(standard-library (scheme read)
  read)

(standard-library (scheme repl)
  interaction-environment)

(standard-library (scheme time)
  current-jiffy current-second jiffies-per-second)

(standard-library (scheme write)
  display write write-shared write-simple)

;; Appendix A's list omits the auxiliary syntax (else, =>, ..., _, unquote, unquote-splicing)
;; and syntax-rules, without which cond, case, syntax-rules and quasiquote cannot be used as R5RS
;; had them; they are exported here too.
(standard-library (scheme r5rs)
  * + - / < <= = > >= abs acos and angle append apply asin assoc assq assv atan begin boolean?
  caaaar caaadr caaar caadar caaddr caadr caar cadaar cadadr cadar caddar cadddr caddr cadr
  call-with-current-continuation call-with-input-file call-with-output-file call-with-values
  car case cdaaar cdaadr cdaar cdadar cdaddr cdadr cdar cddaar cddadr cddar cdddar cddddr
  cdddr cddr cdr ceiling char->integer char-alphabetic? char-ci<=? char-ci<? char-ci=?
  char-ci>=? char-ci>? char-downcase char-lower-case? char-numeric? char-ready? char-upcase
  char-upper-case? char-whitespace? char<=? char<? char=? char>=? char>? char?
  close-input-port close-output-port complex? cond cons cos current-input-port
  current-output-port define define-syntax delay denominator display do dynamic-wind
  eof-object? eq? equal? eqv? eval even? exact->inexact exact? exp expt floor for-each force
  gcd if imag-part inexact->exact inexact? input-port? integer->char integer?
  interaction-environment lambda lcm length let let* let-syntax letrec letrec-syntax list
  list->string list->vector list-ref list-tail list? load log magnitude make-polar
  make-rectangular make-string make-vector map max member memq memv min modulo negative?
  newline not null-environment null? number->string number? numerator odd? open-input-file
  open-output-file or output-port? pair? peek-char positive? procedure? quasiquote quote
  quotient rational? rationalize read read-char real-part real? remainder reverse round
  scheme-report-environment set! set-car! set-cdr! sin sqrt string string->list
  string->number string->symbol string-append string-ci<=? string-ci<? string-ci=?
  string-ci>=? string-ci>? string-copy string-fill! string-length string-ref string-set!
  string<=? string<? string=? string>=? string>? string? substring symbol->string symbol? tan
  truncate values vector vector->list vector-fill! vector-length vector-ref vector-set!
  vector? with-input-from-file with-output-to-file write write-char zero?
  else => ... _ unquote unquote-splicing syntax-rules)

;;; Loko (the manual's "Base library" and "Unsafe procedures")

;; Every R6RS library, SRFI 98, and Loko's own additions.
(standard-library (loko)
  (exports-of (rnrs)) (exports-of (rnrs eval)) (exports-of (rnrs mutable-pairs))
  (exports-of (rnrs mutable-strings)) (exports-of (rnrs r5rs))
  get-environment-variable get-environment-variables
  interaction-environment load void library-directories library-extensions
  installed-libraries uninstall-library expand expand/optimize cp0-size-limit
  cp0-effort-limit disassemble machine-type time time-it time-it* open-output-string
  get-output-string port-file-descriptor port-file-descriptor-set! gensym make-parameter
  parameterize include pretty-print module load-program putenv)

(standard-library (loko system unsafe)
  syscall bytevector-address get-mem-u8 get-mem-u16 get-mem-u32 get-mem-s61 put-mem-u8
  put-mem-u16 put-mem-u32 put-mem-s61 get-i/o-u8 get-i/o-u16 get-i/o-u32 put-i/o-u8
  put-i/o-u16 put-i/o-u32 get-i/o-u8-n! get-i/o-u16-n! get-i/o-u32-n! put-i/o-u8-n!
  put-i/o-u16-n! put-i/o-u32-n!)
