%exercise_rnn1a.m
% Exercise RNN1a, worked the way slides 12-13 draw it: the 3-neuron layer one
% neuron at a time ("Inside A: 3 neurons at time t"), each neuron a tanh of
% its own weighted inputs, its own previous output and its bias; then the
% output layer and its softmax written out by hand (Exercise 8b).
% Written in the course's style as a second parity case for rnncore: it is
% compared with rnncore/course/exercises.py and with the numbers on the slides.
clear
whx=[0.287027 0.84606 0.572392 0.486813
     0.902874 0.871522 0.691079 0.18998
     0.537524 0.09224 0.558159 0.491528];
why=[0.37168 0.974829459 0.830034886
     0.39141 0.282585823 0.659835709
     0.64985 0.09821557 0.332487804
     0.91266 0.32581642 0.144630018];
bias=0.567001*[1 1 1]';
whh=0.427043*[1 1 1]';
X=[1 0 0 0]';   % P at t=1
X2=[0 1 0 0]';  % I at t=2
h0=[0 0 0]';    % ht at t=0, assume zero
% t=1, neuron by neuron: ht(n)=tanh(Whx(n,:)*X+Whh(n)*ht-1(n)+bias(n))
h1=zeros(3,1);
for n=1:3
  s=0;
  for k=1:4
    s=s+whx(n,k)*X(k);
  end
  h1(n)=tanh(s+whh(n)*h0(n)+bias(n));
end
h1
% Exercise 8a: t=2
h2=zeros(3,1);
for n=1:3
  s=0;
  for k=1:4
    s=s+whx(n,k)*X2(k);
  end
  h2(n)=tanh(s+whh(n)*h1(n)+bias(n));
end
h2
% Exercise 8b: the output layer at t=1, and its softmax by the formula on slide 15
y1=zeros(4,1);
for i=1:4
  y1(i)=why(i,1)*h1(1)+why(i,2)*h1(2)+why(i,3)*h1(3);
end
y1
p1=exp(y1)/sum(exp(y1))
