;;; Promises: R7RS's delay, delay-force, make-promise, force and promise? (and R6RS's delay and
;;; force). Part of the base library.
;;;
;;; A promise is an opaque record holding a box, a pair (done? . value-or-thunk), that
;;; promises may share. Forcing a promise whose thunk returns another promise (delay-force)
;;; makes the first share the second's box and loops, so a chain of delay-force runs in
;;; constant space, as in R7RS's reference implementation.

(define $promise-rtd
  (make-record-type-descriptor 'promise #f #f #t #t '#((mutable box))))

(define ($make-promise done? value) ($record $promise-rtd (cons done? value)))

(define (promise? x) (and ($record? x) (eq? ($record-rtd x) $promise-rtd)))

(define (make-promise obj)
  (if (promise? obj) obj ($make-promise #t obj)))

(define-syntax delay-force
  (syntax-rules ()
    ((_ expression) ($make-promise #f (lambda () expression)))))

(define-syntax delay
  (syntax-rules ()
    ((_ expression) (delay-force ($make-promise #t expression)))))

(define (force promise)
  (if (not (promise? promise))
      promise
      (let loop ((promise promise))
        (let ((box ($record-ref promise 0)))
          (if (car box)
              (cdr box)
              (let ((next ((cdr box))))
                ;; The thunk may have forced this promise already (reentrancy).
                (unless (car ($record-ref promise 0))
                  (unless (promise? next)
                    (assertion-violation 'force "delay-force did not yield a promise" next))
                  (let ((next-box ($record-ref next 0)))
                    (set-car! box (car next-box))
                    (set-cdr! box (cdr next-box))
                    ($record-set! next 0 box)))
                (loop promise)))))))
