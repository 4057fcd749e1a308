# The two commands of the README: `make run` and `make test`. Each installs what it lacks.
SHELL := /bin/bash
ADDR ?= 127.0.0.1:8080
DB ?= data/onewindow.sqlite

.PHONY: run test setup-build setup-test frontend backend figures

run: setup-build frontend backend
	mkdir -p $(dir $(DB))
	./target/release/onewindow serve --addr $(ADDR) --db $(DB) --dist dist --demo

test: setup-test frontend backend
	cargo test --workspace --exclude onewindow-frontend
	# The browser apps' pure logic (error decoding, outlines, forms), natively.
	cargo test -p onewindow-frontend --lib
	cd tests/browser && node run.mjs

figures: setup-test frontend backend
	scripts/figures.sh

setup-build:
	scripts/setup.sh build

setup-test:
	scripts/setup.sh test

# The resident app first: its build replaces dist/. The console is a second Trunk
# target under dist/console, so residents' phones never download it; legal-aid booking
# is a third, under dist/booking, downloaded only by those who book; the grid lookup a
# fourth, under dist/grid.
frontend:
	source scripts/env.sh && trunk build --release && \
	  trunk build frontend/console.html --release --dist dist/console --public-url /console/ && \
	  trunk build frontend/booking.html --release --dist dist/booking --public-url /booking/ && \
	  trunk build frontend/grid.html --release --dist dist/grid --public-url /grid/

backend:
	cargo build --release -p onewindow-backend
